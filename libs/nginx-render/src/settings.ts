/** Settings of one data plane: what differs between machines, not between Gateways. */
export interface RenderSettings {
  /** Added to every listener port, for local users who cannot bind ports < 1024. */
  portOffset: number;
  /** Address the data-plane status server listens on, e.g. "127.0.0.1:9901". */
  statusListen: string;
  /**
   * Runtime paths, all absolute: pid, error log, temp dirs, the config dir the files go in.
   * Includes in nginx.conf are relative (NGINX resolves them against the directory of the
   * nginx.conf it loads), so a staging copy of the files can be checked with `nginx -t`
   * before it replaces `confDir`. `accessLog` is optional: without it access logs are off.
   */
  paths: {
    prefix: string;
    confDir: string;
    pidFile: string;
    errorLog: string;
    tempDir: string;
    accessLog?: string;
    /**
     * Unix sockets of internal servers (TLS terminators, HTTPS behind a TLS port); default
     * `tempDir`. NGINX workers connect to them, so every directory on the way must let the
     * worker user through, and the path must fit 107 bytes: the renderer service picks a
     * short directory of its own.
     */
    socketDir?: string;
  };
  /** Dynamic modules to load_module (absolute .so paths), e.g. Debian's stream and njs modules. */
  modules: string[];
  workerProcesses: number | 'auto';
  /** `worker_connections` (default 4096); GatewayParameters `spec.nginx.workerConnections`. */
  workerConnections?: number;
  /** Set only when NGINX runs as root (then workers drop to this user). */
  user?: string;
}
