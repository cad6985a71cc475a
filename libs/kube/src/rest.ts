/**
 * Raw JSON calls to the Kubernetes API, authenticated by a KubeConfig. We use this rather than
 * the generated typed clients because those turn timestamps into `Date` objects on list but not
 * on watch; Portico keeps objects exactly as the API server sent them (plain JSON), so what the
 * watcher mirrors, what the graph reads and what the status writer sends all agree.
 */
import { HttpMethod, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { fetch } from 'undici';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export interface KubeList<T> {
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

/** An error answer of the API server, with its HTTP code and `Status.reason`. */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: string;
  constructor(code: number, reason: string, message: string) {
    super(message);
    this.name = 'KubeApiError';
    this.code = code;
    this.reason = reason;
  }
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
}

export class KubeRest {
  readonly config: KubeConfig;
  /**
   * The connection pool, made once. client-node builds a new undici Agent on every
   * `applySecurityAuthentication` when the cluster has TLS options (a CA, a client cert, or
   * skip-verify): used per request, each call would open a new connection (and a new TLS
   * handshake), which is most of the cost of a status write. The TLS options come from the
   * kubeconfig and do not change; headers (tokens) are still applied per request.
   */
  #dispatcher: ReturnType<RequestContext['getDispatcher']>;
  #dispatcherMade = false;

  constructor(config: KubeConfig) {
    this.config = config;
  }

  /** Loads from a kubeconfig file path, or from the environment (in-cluster, $KUBECONFIG). */
  static fromPath(path: string | undefined): KubeRest {
    const config = new KubeConfig();
    if (path) config.loadFromFile(path);
    else config.loadFromDefault();
    return new KubeRest(config);
  }

  async request<T>(
    method: keyof typeof HttpMethod,
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const server = this.config.getCurrentCluster()?.server;
    if (!server) throw new Error('kubeconfig has no current cluster');
    const url = new URL(server.replace(/\/$/, '') + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), HttpMethod[method]);
    await this.config.applySecurityAuthentication(context);
    if (!this.#dispatcherMade) {
      this.#dispatcher = context.getDispatcher();
      this.#dispatcherMade = true;
    }
    const headers: Record<string, string> = { ...context.getHeaders(), Accept: 'application/json' };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] = options.contentType ?? 'application/json';
    }
    const response = await fetch(url, {
      method,
      headers,
      body,
      dispatcher: this.#dispatcher,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const status = (parsed ?? {}) as { reason?: string; message?: string };
      throw new KubeApiError(
        response.status,
        status.reason ?? 'Unknown',
        status.message ?? `${method} ${path}: HTTP ${response.status}`,
      );
    }
    return parsed as T;
  }
}

export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 409;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.code === 404;
}
