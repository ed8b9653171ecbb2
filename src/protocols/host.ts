// What a protocol host is inside a worker: it serves the mocks it is given and owns their live connections.
// A worker entry builds its hosts and hands them to serveWorker (src/protocols/serve-worker.ts); it adds nothing else.

import type { Mock } from '../mocks/types.ts';
import type { ConnectionManager } from '../contract/protocols.ts';
import type { TlsMaterial } from '../contract/tls.ts';
import type { HostOptions, ListenerInfo, MockPlacement, MockRuntime } from '../contract/worker-api.ts';

export interface ProtocolHost {
  /** True for the mocks this host serves (e.g. the mock-port host takes `http` and `websocket`). */
  accepts(mock: Mock): boolean;
  /** Checks what only the worker can (e.g. that gRPC protos parse); throws a validation_error MockdError. */
  validate?(mock: Mock): Promise<void>;
  /**
   * Registers a new or changed mock. For a change, the mock's live connections are closed first with reason
   * `mock_changed` and the new definition is live when the promise resolves. A bind failure rejects with
   * MockdError `port_unavailable` and leaves nothing registered.
   */
  apply(mock: Mock, placement?: MockPlacement): Promise<MockRuntime>;
  /** Unregisters a mock (deleted or disabled): closes its connections with `mock_changed`, stops its listener. */
  remove(mockId: string): Promise<void>;
  runtimes(): MockRuntime[];
  listeners(): ListenerInfo[];
  /** The connection managers this host owns, one per protocol it serves. */
  readonly managers: readonly ConnectionManager[];
  /** The mock port's `/__mockd/ready` counts every enabled mock; only the host that owns it listens. */
  setEnabledCount?(count: number): void;
  /** Swaps the certificate of this host's TLS listeners for new handshakes (README "TLS"). */
  reloadTls?(material: TlsMaterial): void;
  /** Graceful shutdown: every connection gets the protocol's shutdown goodbye, then listeners close. */
  close(): Promise<void>;
}

export type HostFactory = (options: HostOptions) => Promise<ProtocolHost>;
