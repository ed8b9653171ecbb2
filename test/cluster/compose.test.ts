// The example deployment (examples/cluster): docker is not available here, so its syntax and shape are checked: the
// compose file parses (anchors and merge keys resolved), Redis is healthy before three replicas that point at it with
// distinct names, only the load balancer publishes ports, and nginx sends every port to all three replicas.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/mockd.ts';

const DIR = join(ROOT, 'examples', 'cluster');
const compose = parse(readFileSync(join(DIR, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, any> };
const nginx = readFileSync(join(DIR, 'nginx.conf'), 'utf8');
const REPLICAS = ['mockd-a', 'mockd-b', 'mockd-c'];

test('the compose file has Redis, three replicas and a load balancer', () => {
  assert.deepEqual(Object.keys(compose.services).sort(), ['lb', 'mockd-a', 'mockd-b', 'mockd-c', 'redis']);
  assert.match(compose.services.redis.image, /^redis:/);
  assert.ok(compose.services.redis.healthcheck.test.includes('ping'));
});

test('each replica joins the cluster through the redis service under its own name, once Redis is healthy', () => {
  const names = new Set<string>();
  for (const name of REPLICAS) {
    const s = compose.services[name];
    assert.equal(s.build.context, '../..', name);
    assert.deepEqual(s.command.slice(0, 3), ['start', '--host', '0.0.0.0'], name);
    assert.match(s.environment.MOCKD_CLUSTER_URL, /^redis:\/\/redis:6379(\/\d+)?$/, name);
    assert.equal(s.depends_on.redis.condition, 'service_healthy', name);
    assert.equal(s.ports, undefined, `${name} publishes no port: clients go through the load balancer`);
    names.add(s.environment.MOCKD_REPLICA_ID);
  }
  assert.deepEqual([...names].sort(), REPLICAS);
});

test('the load balancer publishes the mock, admin, MQTT and gRPC ports and mounts its config', () => {
  const lb = compose.services.lb;
  assert.deepEqual(lb.ports, ['4280:4280', '4290:4290', '1883:1883', '50051:50051']);
  assert.ok(lb.volumes.some((v: string) => v.startsWith('./nginx.conf:/etc/nginx/nginx.conf')));
  assert.deepEqual([...lb.depends_on].sort(), REPLICAS);
});

test('nginx balances every port over the three replicas and passes WebSocket upgrades and SSE through', () => {
  const upstreams = [...nginx.matchAll(/upstream (\w+) \{([^}]*)\}/g)].map((m) => ({ name: m[1], servers: [...m[2]!.matchAll(/server ([\w-]+):(\d+);/g)].map((s) => `${s[1]}:${s[2]}`) }));
  const byName = Object.fromEntries(upstreams.map((u) => [u.name, u.servers]));
  for (const [name, port] of [['mockd_mock', 4280], ['mockd_admin', 4290], ['mockd_mqtt', 1883], ['mockd_grpc', 50051]] as const) {
    assert.deepEqual(byName[name], REPLICAS.map((r) => `${r}:${port}`), name);
  }
  assert.match(nginx, /proxy_set_header Upgrade \$http_upgrade;/);
  assert.match(nginx, /proxy_buffering off;/);
  // Balanced braces: a config nginx can at least tokenise.
  assert.equal((nginx.match(/\{/g) ?? []).length, (nginx.match(/\}/g) ?? []).length);
});
