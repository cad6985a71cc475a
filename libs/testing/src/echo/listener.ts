/**
 * The seam between the echo program and its protocols: each protocol module (HTTP/1.1 now;
 * h2c, WebSocket, gRPC, TLS, TCP and UDP later) starts one listener of this shape and logs
 * through the same line logger.
 */

/** The protocols a listener can speak; grows one entry per protocol module. */
export type EchoProtocol = 'http';

/** A started listener. */
export interface EchoListener {
  protocol: EchoProtocol;
  port: number;
  close(): Promise<void>;
}

/** One JSON object per line on stdout. */
export type EchoLog = (entry: Record<string, unknown>) => void;

/** Writes log entries as JSON lines to stdout, with a timestamp. */
export const stdoutLog: EchoLog = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};
