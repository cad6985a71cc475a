/**
 * The echo backend's command line: flags win over the environment variables that the
 * conformance echo server reads (`POD_NAME`, `NAMESPACE`, `SERVICE_NAME`, `INGRESS_NAME`,
 * `HTTP_PORT`). Pure: takes argv and env, returns the settings or throws a usage error.
 */
import { parseArgs } from 'node:util';
import type { EchoContext } from './request-info.ts';

/** Settings of one echo process. One port option per protocol as protocols are added. */
export interface EchoConfig {
  context: EchoContext;
  /** HTTP/1.1 port; 0 lets the kernel choose (the chosen port is logged). */
  httpPort: number;
  /** Exit when stdin closes, so a killed parent never leaves the echo server behind. */
  exitOnStdinClose: boolean;
}

/** Parses `--port P [--namespace ns --pod name --service svc --ingress name]`. */
export function parseEchoConfig(argv: readonly string[], env: NodeJS.ProcessEnv): EchoConfig {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      namespace: { type: 'string' },
      pod: { type: 'string' },
      service: { type: 'string' },
      ingress: { type: 'string' },
      'exit-on-stdin-close': { type: 'boolean' },
    },
    strict: true,
  });
  const portText = values.port ?? env['HTTP_PORT'];
  if (portText === undefined) throw new Error('usage: echo --port P (or HTTP_PORT)');
  const httpPort = Number(portText);
  if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535) {
    throw new Error(`invalid port: ${portText}`);
  }
  return {
    context: {
      namespace: values.namespace ?? env['NAMESPACE'] ?? '',
      ingress: values.ingress ?? env['INGRESS_NAME'] ?? '',
      service: values.service ?? env['SERVICE_NAME'] ?? '',
      pod: values.pod ?? env['POD_NAME'] ?? '',
    },
    httpPort,
    exitOnStdinClose: values['exit-on-stdin-close'] ?? false,
  };
}
