/**
 * The one error type of the renderer. It names the field that could not be written safely, so
 * the renderer service can turn it into a Condition message (`Programmed=False`, `Invalid`)
 * without matching on message strings, and never as a broken or injected nginx.conf.
 */
export class RenderError extends Error {
  /** Where the value came from, e.g. `gateways[0].httpServers[1].virtualHosts[0].hostname`. */
  readonly field: string;
  /** Why it was refused, e.g. `control character U+000A`. */
  readonly reason: string;

  constructor(field: string, reason: string) {
    super(`cannot render ${field}: ${reason}`);
    this.name = 'RenderError';
    this.field = field;
    this.reason = reason;
  }
}
