/**
 * @portico/nginx-render: the pure last stage of the core. Gateway IRs in, NGINX files out
 * (nginx.conf, one http file per Gateway, default servers, a status server); the renderer
 * service writes them, runs `nginx -t`, swaps and reloads. Every string written is checked
 * or quoted here (invariant 7); a value that cannot be written safely is a RenderError.
 */
export { renderNginx, MAIN_FILE, STATUS_FILE, DEFAULTS_FILE } from './render.ts';
export type { RenderedFile, RenderResult } from './render.ts';
export type { RenderSettings } from './settings.ts';
export { RenderError } from './errors.ts';
export type { CaSource, CertificateFile } from './tls.ts';
export type { BackendTlsBridge } from './backend-tls-bridge.ts';
export { needsBridge } from './backend-tls.ts';
export { gatewayFilePath } from './gateway-file.ts';
export { STREAM_FILE } from './stream.ts';
export { quote, unsafeReason, type QuoteContext } from './quote.ts';
