// The Redis keys and channels of one cluster, all under its prefix (`--cluster-prefix`, default `mockd`), so several
// clusters can share one Redis.

export function clusterKeys(prefix: string) {
  return {
    /** Hash: mock id → the mock as JSON (the cluster's source of truth). */
    mocks: `${prefix}:mocks`,
    /** Hash: mock id → version; kept after a delete, so a version never goes back. */
    versions: `${prefix}:versions`,
    /** Set once, by the first replica, which seeds the cluster with its startup mocks. */
    seeded: `${prefix}:seeded`,
    /** Channel: `{id, version, replica}` after each stored change. */
    mockChanges: `${prefix}:mock-changes`,
    /** Set of replica ids; each is live while its heartbeat key exists. */
    replicas: `${prefix}:replicas`,
    replica: (id: string) => `${prefix}:replica:${id}`,
    /** Channels: requests to a replica, and replies to the replica that asked. */
    rpc: (id: string) => `${prefix}:rpc:${id}`,
    reply: (id: string) => `${prefix}:reply:${id}`,
    /** Channel: connection events of every replica, for `/events`. */
    events: `${prefix}:events`,
    /** List: the shared journal (newest last, trimmed to --journal-size), its id counter, and its channel. */
    journal: `${prefix}:journal`,
    journalSeq: `${prefix}:journal:seq`,
    journalNew: `${prefix}:journal:new`,
  };
}

export type ClusterKeys = ReturnType<typeof clusterKeys>;
