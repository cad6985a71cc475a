/**
 * The PROXY protocol between a TLS port's front and the internal stream servers behind it
 * (stream-tls.ts). The front is the only server that sees the client's TCP connection; a
 * server on a unix socket sees the socket. So the front sends a PROXY protocol v1 header
 * (`proxy_protocol on`) ahead of the client's bytes, and every internal server listens with
 * `proxy_protocol` and trusts the header from the socket (`set_real_ip_from unix:`, the stream
 * realip module), which makes `$remote_addr` and `$remote_port` the client's again.
 *
 * A passthrough backend is not ours: it must receive the client's bytes and nothing before
 * them. `proxy_protocol` is a property of the front `server`, not of one `map` target, so a
 * front that sends the header reaches each passthrough target through a relay: a stream server
 * on a unix socket that accepts the header and proxies to the target without one. It costs
 * one more local hop per passthrough connection, only on ports that mix passthrough with
 * termination or HTTPS.
 */
import { block, comment, directive, str, word, type ConfNode } from './syntax.ts';

/**
 * Where the internal servers' sockets come from: only NGINX itself connects to them, so a
 * PROXY header read on them is trusted.
 */
export const TRUSTED_SOCKETS = 'unix:';

/** The stream realip line of an internal server that listens with `proxy_protocol`. */
export function trustProxyProtocol(): ConfNode {
  return directive('set_real_ip_from', word(TRUSTED_SOCKETS));
}

/** The `listen` of an internal stream server: a unix socket that expects a PROXY header. */
export function internalListen(socket: string, field: string, ...flags: string[]): ConfNode {
  return directive(
    'listen',
    str(`unix:${socket}`, field, 'variables'),
    ...flags.map((f) => word(f)),
    word('proxy_protocol'),
  );
}

/** An upstream whose one server is a unix socket of ours. */
export function socketUpstream(name: string, socket: string, field: string): ConfNode {
  return block(
    'upstream',
    [word(name)],
    [directive('server', str(`unix:${socket}`, field, 'variables'))],
  );
}

/** A passthrough target, and where its relay listens. */
export interface Relay {
  /** NGINX upstream name of the relay (the front's map names it instead of the target). */
  name: string;
  socket: string;
  /** What the relay proxies to: an upstream or a `split_clients` variable. */
  target: string;
  /** What the relay is for, in a comment. */
  purpose: string;
  field: string;
}

/**
 * The relay's upstream and server. A `split_clients` target is evaluated in the relay, where
 * realip has already put the client's address and port back, so weights still hash on them.
 */
export function relayNodes(relay: Relay): ConfNode[] {
  return [
    comment(relay.purpose, relay.field),
    socketUpstream(relay.name, relay.socket, relay.field),
    block(
      'server',
      [],
      [
        internalListen(relay.socket, relay.field),
        trustProxyProtocol(),
        directive('proxy_pass', word(relay.target)),
      ],
    ),
  ];
}
