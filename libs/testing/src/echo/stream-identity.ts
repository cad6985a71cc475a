/**
 * What the TCP, UDP and TLS echo backends answer: their identity (like the upstream suite's
 * echo server, which reports its namespace and pod) followed by the bytes received, so a test
 * sees both which backend a connection reached and that the payload went through intact.
 */

/** Who an echo backend says it is. */
export interface StreamEchoIdentity {
  namespace: string;
  pod: string;
}

/** `<namespace>/<pod> <data>`: one answer per chunk or datagram received. */
export function echoAnswer(identity: StreamEchoIdentity, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${identity.namespace}/${identity.pod} `), data]);
}

/** A running stream echo backend. */
export interface RunningStreamEcho {
  port: number;
  identity: StreamEchoIdentity;
  stop(): Promise<void>;
}
