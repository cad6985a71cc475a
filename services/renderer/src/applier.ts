/**
 * One apply cycle of the data plane: IRs in, served configuration out, acks back.
 *
 *   render (pure) -> same version as live? ack and stop (invariant 5: no write, no reload)
 *   -> stage files in their own directory -> `nginx -t` (a failure keeps the last good config
 *   serving and is acked as an error: invariant 4) -> swap `current` -> reload -> wait until
 *   the status server answers the new version -> ack.
 *
 * Two cycles may overlap by their first step: the next one reads and renders while the
 * previous one waits for NGINX to serve its reload (see `Coalescer`); everything from the
 * comparison with the live version on runs one cycle at a time, in order.
 */
import { dirname } from 'node:path';
import type { GatewayIR } from '@portico/ir';
import {
  renderNginx,
  type CertificateFile,
  type RenderedFile,
  type RenderResult,
  type RenderSettings,
} from '@portico/nginx-render';
import { PhaseTimer, type Logger } from '@portico/telemetry';
import type { BackendTlsBridgePort } from './backend-tls-bridge.ts';
import {
  activateVersion,
  activeVersion,
  pruneVersions,
  stageVersion,
  type ConfigDir,
} from './config-dir.ts';
import type { NginxTestResult } from './nginx-process.ts';

export interface FollowedIR {
  gatewayKey: string;
  hash: string;
  ir: GatewayIR;
}

export interface Ack {
  gatewayKey: string;
  hash: string;
  ok: boolean;
  error?: string;
}

export interface ApplierDeps {
  dir: ConfigDir;
  settings: RenderSettings;
  logger: Logger;
  loadIRs: () => Promise<FollowedIR[]>;
  testConfig: (confPath: string) => Promise<NginxTestResult>;
  reload: () => void;
  /** Marks NGINX's error log before a reload ... */
  errorLogMark: () => Promise<number>;
  /** ... and reads the severe lines logged since: why a reload failed, in NGINX's words. */
  errorsSince: (mark: number) => Promise<string[]>;
  /** Resolves true once NGINX answers `version` on its status server. */
  waitForVersion: (version: string) => Promise<boolean>;
  sendAcks: (acks: Ack[]) => Promise<void>;
  /**
   * The certificate files the configuration names, read from where the key material lives
   * (the API server); written with the other files, only when a new version is staged.
   * Without it, a configuration that names certificates cannot be applied.
   */
  certificateFiles?: (certificates: CertificateFile[]) => Promise<RenderedFile[]>;
  /**
   * The backend TLS bridge (backend-tls-bridge.ts): its sockets listen before NGINX loads a
   * configuration naming them, and close once NGINX no longer serves one that does.
   */
  bridges?: BackendTlsBridgePort;
  observe: (
    event: 'reload' | 'reload_failed' | 'config_invalid' | 'unchanged',
    seconds: number,
  ) => void;
}

export type ApplyOutcome = 'unchanged' | 'applied' | 'invalid' | 'not-served';

export class Applier {
  private readonly deps: ApplierDeps;
  /** IR hash per Gateway in the configuration NGINX serves now. */
  private served = new Map<string, string>();
  /** Settles when the cycle that last started committing is done: commits run in order. */
  private committing: Promise<void> = Promise.resolve();

  constructor(deps: ApplierDeps) {
    this.deps = deps;
  }

  /**
   * Applies the IRs as they are now. `reloadSent` is called once NGINX has been told to load
   * the new version: from then on another `apply` may start reading and rendering.
   */
  async apply(reloadSent: () => void = () => {}): Promise<ApplyOutcome> {
    const started = performance.now();
    const timer = new PhaseTimer();
    const irs = await this.deps.loadIRs();
    timer.mark('loadMs');
    const rendered = renderNginx(
      irs.map((followed) => followed.ir),
      this.deps.settings,
    );
    timer.mark('renderMs');
    const previous = this.committing;
    let committed = () => {};
    this.committing = new Promise((resolve) => (committed = resolve));
    try {
      await previous;
      timer.mark('queuedMs');
      return await this.commit(irs, rendered, timer, started, reloadSent);
    } finally {
      committed();
    }
  }

  private async commit(
    irs: FollowedIR[],
    { files, version, warnings, certificates, backendTlsBridges }: RenderResult,
    timer: PhaseTimer,
    started: number,
    reloadSent: () => void,
  ): Promise<ApplyOutcome> {
    const elapsed = () => (performance.now() - started) / 1000;
    const { dir, logger } = this.deps;
    for (const warning of warnings) logger.warn({ version }, warning);
    const live = await activeVersion(dir);

    if (live === version) {
      // After a restart NGINX may serve this version already: its bridge must listen too.
      await this.deps.bridges?.prepare(backendTlsBridges, dir.currentLink);
      await this.deps.bridges?.commit(backendTlsBridges);
      this.served = hashesOf(irs);
      await this.deps.sendAcks(
        irs.map((f) => ({ gatewayKey: f.gatewayKey, hash: f.hash, ok: true })),
      );
      this.deps.observe('unchanged', elapsed());
      return 'unchanged';
    }

    let keyFiles: RenderedFile[];
    try {
      keyFiles = await this.readCertificates(certificates);
    } catch (error) {
      const why = (error as Error).message;
      logger.error({ version, err: why }, 'certificates unavailable; keeping the last good one');
      await this.deps.sendAcks(this.failuresFor(irs, `certificates unavailable: ${why}`));
      this.deps.observe('config_invalid', elapsed());
      return 'invalid';
    }
    timer.mark('certificatesMs');
    const confPath = await stageVersion(dir, version, [...files, ...keyFiles]);
    timer.mark('stageMs');
    const test = await this.deps.testConfig(confPath);
    timer.mark('testMs');
    if (!test.ok) {
      logger.error(
        { version, nginx: test.output },
        'rendered configuration failed nginx -t; keeping the last good one',
      );
      await this.deps.sendAcks(this.failuresFor(irs, `nginx -t failed: ${test.output}`));
      await pruneVersions(dir, live ? [live] : []);
      this.deps.observe('config_invalid', elapsed());
      return 'invalid';
    }

    try {
      await this.deps.bridges?.prepare(backendTlsBridges, dirname(confPath));
    } catch (error) {
      const why = (error as Error).message;
      logger.error(
        { version, err: why },
        'backend TLS bridge unavailable; keeping the last good one',
      );
      await this.deps.bridges?.abandon();
      await this.deps.sendAcks(this.failuresFor(irs, `backend TLS bridge unavailable: ${why}`));
      await pruneVersions(dir, live ? [live] : []);
      this.deps.observe('config_invalid', elapsed());
      return 'invalid';
    }
    timer.mark('bridgeMs');

    await activateVersion(dir, version);
    const mark = await this.deps.errorLogMark();
    this.deps.reload();
    reloadSent();
    const served = await this.deps.waitForVersion(version);
    timer.mark('reloadMs');
    if (!served) {
      const errors = await this.deps.errorsSince(mark);
      logger.error(
        { version, previous: live, nginx: errors },
        'NGINX did not serve the new configuration; rolling back',
      );
      if (live) {
        await activateVersion(dir, live);
        this.deps.reload();
      }
      await this.deps.bridges?.abandon();
      const why = errors.length > 0 ? errors.join('; ') : 'no error logged; see its error log';
      await this.deps.sendAcks(
        this.failuresFor(irs, `NGINX did not load the new configuration: ${why}`),
      );
      this.deps.observe('reload_failed', elapsed());
      return 'not-served';
    }

    await this.deps.bridges?.commit(backendTlsBridges);
    this.served = hashesOf(irs);
    await this.deps.sendAcks(
      irs.map((f) => ({ gatewayKey: f.gatewayKey, hash: f.hash, ok: true })),
    );
    timer.mark('ackMs');
    await pruneVersions(dir, [version]);
    timer.mark('pruneMs');
    logger.info({ version, gateways: irs.length, ...timer.summary() }, 'configuration applied');
    this.deps.observe('reload', elapsed());
    return 'applied';
  }

  private async readCertificates(certificates: CertificateFile[]): Promise<RenderedFile[]> {
    if (certificates.length === 0) return [];
    if (this.deps.certificateFiles === undefined) {
      throw new Error('this renderer has no access to certificates (no API server configured)');
    }
    return this.deps.certificateFiles(certificates);
  }

  /**
   * A configuration that cannot be applied is blamed on the Gateways whose IR changed since
   * the served one; Gateways that did not change keep their acknowledged state.
   */
  private failuresFor(irs: FollowedIR[], error: string): Ack[] {
    return irs
      .filter((f) => this.served.get(f.gatewayKey) !== f.hash)
      .map((f) => ({ gatewayKey: f.gatewayKey, hash: f.hash, ok: false, error }));
  }
}

function hashesOf(irs: FollowedIR[]): Map<string, string> {
  return new Map(irs.map((f) => [f.gatewayKey, f.hash]));
}
