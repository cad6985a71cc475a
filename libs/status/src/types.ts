/**
 * What @portico/status returns: the desired status of one object and whether it differs from
 * the current one, so the writer can skip unchanged writes (invariant 8).
 */
import type { Condition } from '@portico/conditions';
import type { GatewayStatusAddress, ListenerStatus, RouteParentStatus } from '@portico/graph';

export interface StatusResult<S> {
  namespace?: string;
  name: string;
  status: S;
  /** False when `status` equals the current status: nothing to write. */
  changed: boolean;
}

export interface GatewayClassStatus {
  conditions: Condition[];
  /** Sorted by name, at most 64, as the CRD requires. */
  supportedFeatures: { name: string }[];
}

export interface GatewayStatus {
  /** Every address carries a `type` (invariant 8). */
  addresses: Required<GatewayStatusAddress>[];
  conditions: Condition[];
  listeners: ListenerStatus[];
  /** ListenerSets attached (Accepted); present once the Gateway admits or is named by any. */
  attachedListenerSets?: number;
}

export interface RouteStatus {
  parents: RouteParentStatus[];
}

/** The data plane's answer for a Gateway: the IR hash it applied, or the error it hit. */
export interface DataPlaneState {
  appliedHash?: string;
  /** An error applying the current IR (e.g. the `nginx -t` output). */
  error?: string;
}

export interface GatewayStatusOptions {
  now: Date;
  /** Addresses the data plane listens on, e.g. `127.0.0.1` (IPAddress) in local mode. */
  addresses: GatewayStatusAddress[];
  dataPlane: DataPlaneState;
  /** Hash of the Gateway's current IR (`contentHash(buildGatewayIR(...))`). */
  irHash: string;
}

export interface GatewayStatuses {
  /** Undefined when the Gateway is not ours (or gone): its status is not ours to write. */
  gateway: StatusResult<GatewayStatus> | undefined;
  /** Routes attached to the Gateway, or holding an entry of ours for it, sorted by ns/name. */
  routes: RouteStatusResult[];
}

/** A route's status result, with the kind to write it to and its key in `Graph.routes`. */
export interface RouteStatusResult extends StatusResult<RouteStatus> {
  kind: 'HTTPRoute' | 'GRPCRoute';
  key: string;
}
