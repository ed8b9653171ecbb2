// Every write to the mock set (contract §8.3): validate, decide the port, register with the worker, then store,
// persist and announce. A write that fails at any step leaves the store as it was. Writes run one at a time, so
// two concurrent admin calls never interleave their worker registrations.

import { MockdError, notFound, validationError } from '../errors.ts';
import { droppedFieldsOf, parseMock, type MockInput } from '../mocks/schema/index.ts';
import { MERGERS } from '../mocks/merge/index.ts';
import { withAbsoluteProtoPaths } from '../mocks/proto-paths.ts';
import type { Mock, MockType } from '../mocks/types.ts';
import { MOCK_TYPES } from '../mocks/types.ts';
import { generateMockId } from '../util/ids.ts';
import { SerialQueue } from '../util/serial-queue.ts';
import { workerOfType } from '../contract/profiles.ts';
import type { MockStore } from '../mocks/store.ts';
import { decidePort } from './ports.ts';
import type { EventBus } from './event-bus.ts';
import type { Logger, MockRegistrations } from './registrations.ts';
import type { MockReplication } from './cluster-hooks.ts';
import { previewChange, type ChangePreview } from './change-preview.ts';
import type { ConnectionRecord, Protocol } from '../contract/protocols.ts';

export interface WriteResult {
  status: 200 | 201;
  body: { id: string; action: string; message: string; mock: Mock } | Record<string, unknown>;
}

export interface BulkResult {
  created: number;
  mocks: Mock[];
  failedIds: string[];
  warnings: string[];
}

/** What a write needs from the rest of the coordinator, and nothing more. */
export interface MockChangeDeps {
  store: MockStore;
  registrations: MockRegistrations;
  /** What only a worker can check (gRPC protos parse and list the services). */
  validate(mock: Mock): Promise<void>;
  bus: EventBus;
  log: Logger;
  /** Persists the store and tells the workers the enabled count; resolves once saved. */
  commit(): Promise<void>;
  /** Ports of mockd's own listeners (mock port, admin port). */
  reservedPorts(): number[];
  /** Cluster mode (src/cluster): the shared store every write is checked against and stored in. */
  replication?(): MockReplication | undefined;
  /** Live connections of a mock, for what a change will do to them (README "Mock changes"). */
  listConnections(protocol: Protocol, mockId: string): Promise<ConnectionRecord[]>;
  /** Journals a change's decision or dry run. */
  recordChange(preview: ChangePreview, dryRun: boolean): void;
}

/** `?dryRun=true`: decide and report what the change would do, change nothing (README "Mock changes"). */
export interface ChangeOptions {
  dryRun?: boolean;
}

/** A validated input as a stored mock: a new id unless it has one, createdAt kept from `existing`. */
export function materialize(input: MockInput, now: string, existing?: Mock): Mock {
  const id = input.id ?? existing?.id ?? generateMockId(input.type);
  const mock: Mock = {
    id,
    type: input.type,
    name: input.name,
    description: input.description,
    enabled: input.enabled,
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  if (input.onChange !== undefined) mock.onChange = input.onChange;
  if (input.drainTimeoutMs !== undefined) mock.drainTimeoutMs = input.drainTimeoutMs;
  (mock as unknown as Record<string, unknown>)[input.type] = (input as unknown as Record<string, unknown>)[input.type];
  if (input.faults !== undefined) mock.faults = input.faults;
  return mock;
}

export class MockChanges {
  readonly #queue = new SerialQueue();

  constructor(private readonly c: MockChangeDeps) {}

  /** Runs writes one after another; a failed write does not block the next. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.#queue.run(fn);
  }

  /** A write: refused at once (503) in cluster mode while the shared store is unreachable. */
  #write<T>(fn: () => Promise<T>): Promise<T> {
    return this.serial(() => {
      this.c.replication?.()?.checkWritable();
      return fn();
    });
  }

  /** A dry run changes nothing, so it is answered even while a cluster's shared store is away. */
  #writeOrDryRun<T>(dryRun: boolean | undefined, fn: () => Promise<T>): Promise<T> {
    return dryRun ? this.serial(fn) : this.#write(fn);
  }

  /** Cluster mode: stores a change made here in the shared store; throws (and the store puts this replica right) if
   * the shared store refuses it. */
  async #replicate(kind: 'create' | 'update' | 'delete', id: string, mock?: Mock): Promise<void> {
    await this.c.replication?.()?.stored(kind, id, mock);
  }

  /** Unknown fields were dropped, not rejected: the answer names them, and the server log says so. */
  #withWarnings<T extends { id: string }>(input: MockInput, body: T): T & { warnings?: string[] } {
    const dropped = droppedFieldsOf(input);
    if (dropped.length === 0) return body;
    const warnings = dropped.map((f) => `unknown field dropped: ${f}`);
    this.c.log('warn', `mock ${body.id}: ${warnings.join('; ')}`);
    return { ...body, warnings };
  }

  #portView() {
    return {
      reserved: this.c.reservedPorts(),
      mocks: this.c.store.all(),
      assigned: this.c.registrations.assignedPorts(),
    };
  }

  /** What changing `old` into `next` does to live connections and ports; a real change also announces it. */
  async #preview(old: Mock | undefined, next: Mock | undefined, dryRun: boolean): Promise<ChangePreview> {
    const preview = await previewChange(
      {
        listConnections: (protocol, mockId) => this.c.listConnections(protocol, mockId).catch(() => []),
        portOf: (mockId) => this.c.registrations.runtimeOf(mockId)?.port,
      },
      old,
      next,
    );
    this.c.recordChange(preview, dryRun);
    this.c.bus.emit({ type: 'change.decided', dryRun, preview });
    return preview;
  }

  #view(mock: Mock): Mock {
    return this.c.registrations.view(mock);
  }

  #require(id: string): Mock {
    const mock = this.c.store.get(id);
    if (!mock) throw notFound();
    return mock;
  }

  create(raw: unknown): Promise<WriteResult> {
    const input = withAbsoluteProtoPaths(parseMock(raw));
    return this.#write(() => this.#create(input));
  }

  async #create(input: MockInput): Promise<WriteResult> {
    if (input.id !== undefined && this.c.store.has(input.id)) {
      throw new MockdError('duplicate_id', `a mock with id ${input.id} already exists`, 'id');
    }
    const mock = materialize(input, new Date().toISOString());
    const decision = decidePort(mock, this.#portView(), { allowMerge: true });
    if (decision.kind === 'merge') return this.#merge(decision.target, mock);
    await this.c.validate(mock);
    if (mock.enabled) await this.#applyChecked(mock);
    this.c.store.set(mock);
    await this.#replicate('create', mock.id, mock);
    await this.c.commit();
    this.c.bus.emit({ type: 'mock.created', mock: this.#view(mock) });
    return { status: 201, body: this.#withWarnings(input, { id: mock.id, action: 'created', message: `Created ${mock.type} mock`, mock: this.#view(mock) }) };
  }

  async #merge(target: Mock, incoming: Mock): Promise<WriteResult> {
    const merger = MERGERS[target.type];
    if (!merger) throw new MockdError('port_conflict', `port is already used by mock ${target.id}`);
    const result = merger(target, incoming);
    const merged: Mock = { ...result.mock, id: target.id, createdAt: target.createdAt, updatedAt: new Date().toISOString() };
    await this.c.validate(merged);
    await this.#replace(target, merged);
    const mock = this.#view(merged);
    const addedKey = merged.type === 'grpc' ? 'addedServices' : 'addedTopics';
    const totalKey = merged.type === 'grpc' ? 'totalServices' : 'totalTopics';
    // `id` and `message` as the Go mockd answers a merge; the counts stay numbers (contract §6, §7).
    const port = merged.type === 'grpc' ? merged.grpc!.port : merged.mqtt!.port;
    const message = merged.type === 'grpc' ? `Merged into existing gRPC server on port ${port}` : `Merged into existing MQTT broker on port ${port}`;
    return {
      status: 200,
      body: { id: target.id, action: 'merged', message, targetMockId: target.id, [addedKey]: result.added, [totalKey]: result.total, mock },
    };
  }

  /** Registers with the worker; a duplicate WebSocket path is a route collision (contract §5). */
  async #applyChecked(mock: Mock, selfId?: string): Promise<void> {
    if (mock.type === 'websocket' && mock.websocket) {
      const path = mock.websocket.path;
      const clash = this.c.store.all().find((m) => m.id !== (selfId ?? mock.id) && m.type === 'websocket' && m.websocket?.path === path);
      if (clash) throw new MockdError('route_collision', `WebSocket path ${path} is already served by mock ${clash.id}`, 'websocket.path');
    }
    await this.c.registrations.apply(mock);
  }

  /**
   * Swaps a stored mock for its new version: the worker closes the old version's connections (mock_changed) and
   * serves the new one before this resolves. If the new version cannot be registered, the old one is restored.
   */
  async #replace(old: Mock, next: Mock): Promise<void> {
    await this.#preview(old, next, false);
    const sameWorker = workerOfType(old.type) === workerOfType(next.type);
    if (old.enabled && (!next.enabled || !sameWorker)) await this.c.registrations.unregister(old);
    if (next.enabled) {
      try {
        await this.#applyChecked(next, old.id);
      } catch (err) {
        if (old.enabled) await this.c.registrations.applyOrRecordError(old);
        throw err;
      }
    }
    this.c.store.set(next);
    await this.#replicate('update', next.id, next);
    await this.c.commit();
    this.c.bus.emit({ type: 'mock.updated', mock: this.#view(next) });
  }

  update(id: string, raw: unknown, options: ChangeOptions = {}): Promise<WriteResult> {
    return this.#writeOrDryRun(options.dryRun, async () => {
      const old = this.#require(id);
      const body = raw && typeof raw === 'object' && !Array.isArray(raw) ? { ...(raw as object), id } : raw;
      const input = withAbsoluteProtoPaths(parseMock(body));
      return this.#update(old, input, undefined, 'updated', options.dryRun);
    });
  }

  async #update(old: Mock, input: MockInput, message?: string, action = 'updated', dryRun = false): Promise<WriteResult> {
    const next = materialize({ ...input, id: old.id }, new Date().toISOString(), old);
    decidePort(next, this.#portView(), { allowMerge: false, selfId: old.id });
    await this.c.validate(next);
    if (dryRun) return { status: 200, body: { dryRun: true, ...(await this.#preview(old, next, true)) } };
    await this.#replace(old, next);
    const mock = this.#view(next);
    return { status: 200, body: this.#withWarnings(input, { id: next.id, action, message: message ?? `Updated ${next.type} mock`, mock }) };
  }

  patch(id: string, raw: unknown, options: ChangeOptions = {}): Promise<WriteResult> {
    return this.#writeOrDryRun(options.dryRun, async () => {
      const old = this.#require(id);
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw validationError('body', 'must be an object');
      const patch = raw as Record<string, unknown>;
      const merged: Record<string, unknown> = { ...old };
      for (const key of ['name', 'description', 'enabled', 'onChange', 'drainTimeoutMs'] as const) if (key in patch) merged[key] = patch[key];
      if ('faults' in patch) merged.faults = patch.faults === null ? undefined : patch.faults;
      for (const t of MOCK_TYPES) {
        if (!(t in patch)) continue;
        if (t !== old.type) throw validationError(t, `not allowed on a ${old.type} mock`);
        const spec = patch[t];
        if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw validationError(t, 'must be an object');
        const next: Record<string, unknown> = { ...(old[t] as object) };
        for (const [k, v] of Object.entries(spec)) {
          if (v === null) delete next[k];
          else next[k] = v;
        }
        merged[t] = next;
      }
      return this.#update(old, withAbsoluteProtoPaths(parseMock(merged)), undefined, 'updated', options.dryRun);
    });
  }

  toggle(id: string): Promise<WriteResult> {
    return this.#write(async () => {
      const old = this.#require(id);
      const input = parseMock({ ...old, enabled: !old.enabled });
      const result = await this.#update(old, input, !old.enabled ? 'Mock enabled' : 'Mock disabled', 'toggled');
      return result;
    });
  }

  delete(id: string): Promise<void> {
    return this.#write(async () => {
      const mock = this.#require(id);
      await this.#delete(mock);
      await this.c.commit();
    });
  }

  /** `DELETE /mocks/{id}?dryRun=true`: what deleting the mock would do. */
  previewDelete(id: string): Promise<{ dryRun: true } & ChangePreview> {
    return this.serial(async () => ({ dryRun: true as const, ...(await this.#preview(this.#require(id), undefined, true)) }));
  }

  /** `DELETE /mocks[?type=]&dryRun=true`: what deleting those mocks would do. */
  previewDeleteAll(type?: string): Promise<{ dryRun: true; changes: ChangePreview[] }> {
    this.#checkType(type);
    return this.serial(async () => {
      const victims = type ? this.c.store.ofType(type as MockType) : this.c.store.all();
      return { dryRun: true as const, changes: await Promise.all(victims.map((m) => this.#preview(m, undefined, true))) };
    });
  }

  /**
   * `POST /mocks/bulk?dryRun=true`: validates the batch as the real call does, then reports each change: with
   * `replace`, the deletes first; a mock whose id exists would fail (duplicate_id) and is listed in `failedIds`.
   */
  previewBulk(raw: unknown, replace: boolean): Promise<{ dryRun: true; changes: ChangePreview[]; failedIds: string[] }> {
    const inputs = this.#parseBatch(raw);
    return this.serial(async () => {
      await this.#validateBatch(inputs);
      const changes: ChangePreview[] = [];
      const failedIds: string[] = [];
      if (replace) for (const m of this.c.store.all()) changes.push(await this.#preview(m, undefined, true));
      const now = new Date().toISOString();
      for (const input of inputs) {
        if (!replace && input.id !== undefined && this.c.store.has(input.id)) failedIds.push(input.id);
        else changes.push(await this.#preview(undefined, materialize(input, now), true));
      }
      return { dryRun: true as const, changes, failedIds };
    });
  }

  async #delete(mock: Mock, replicate = true): Promise<void> {
    await this.#preview(mock, undefined, false);
    if (mock.enabled) await this.c.registrations.unregister(mock);
    this.c.store.delete(mock.id);
    this.c.registrations.forget(mock.id);
    if (replicate) await this.#replicate('delete', mock.id);
    this.c.bus.emit({ type: 'mock.deleted', id: mock.id, mockType: mock.type });
  }

  #checkType(type: string | undefined): void {
    if (type !== undefined && !(MOCK_TYPES as readonly string[]).includes(type)) {
      throw validationError('type', `must be one of ${MOCK_TYPES.join(', ')}`);
    }
  }

  deleteAll(type?: string): Promise<void> {
    this.#checkType(type);
    return this.#write(async () => {
      const victims = type ? this.c.store.ofType(type as MockType) : this.c.store.all();
      await Promise.all(victims.map((m) => this.#delete(m)));
      await this.c.commit();
    });
  }

  /** Validates the whole batch first (any error stores nothing), then applies in order (contract §8.3). */
  #parseBatch(raw: unknown): MockInput[] {
    if (!Array.isArray(raw)) throw validationError('body', 'must be an array of mocks');
    const inputs = raw.map((m, i) => withAbsoluteProtoPaths(parseMock(m, [i])));
    const ids = new Set<string>();
    inputs.forEach((input, i) => {
      if (input.id === undefined) return;
      if (ids.has(input.id)) throw new MockdError('duplicate_id', `duplicate id ${input.id} in the batch`, `[${i}].id`);
      ids.add(input.id);
    });
    return inputs;
  }

  /** What only a worker can check (gRPC protos parse and list the services) is part of validating the batch. */
  async #validateBatch(inputs: MockInput[]): Promise<void> {
    const now = new Date().toISOString();
    for (const [i, input] of inputs.entries()) {
      try {
        await this.c.validate(materialize(input, now));
      } catch (err) {
        const e = err as MockdError;
        if (e.code !== 'validation_error') throw err;
        const field = `[${i}].${e.field ?? input.type}`;
        throw new MockdError('validation_error', e.message.replace(/^validation error on [^:]+:/, `validation error on ${field}:`), field);
      }
    }
  }

  bulk(raw: unknown, replace: boolean): Promise<BulkResult> {
    const inputs = this.#parseBatch(raw);
    return this.#write(async () => {
      await this.#validateBatch(inputs);
      if (replace) {
        await Promise.all(this.c.store.all().map((m) => this.#delete(m)));
        await this.c.commit();
      }
      const out: BulkResult = { created: 0, mocks: [], failedIds: [], warnings: [] };
      for (const input of inputs) {
        try {
          const result = await this.#create(input);
          const mock = (result.body as { mock: Mock }).mock;
          for (const w of (result.body as { warnings?: string[] }).warnings ?? []) out.warnings.push(`${mock.id}: ${w}`);
          if (result.status === 201) out.created++;
          else out.warnings.push(`${input.id ?? mock.id}: merged into ${mock.id}`);
          out.mocks.push(mock);
        } catch (err) {
          const e = err as MockdError;
          out.failedIds.push(input.id ?? `[${inputs.indexOf(input)}]`);
          out.warnings.push(`${input.id ?? `[${inputs.indexOf(input)}]`}: ${e.message}`);
        }
      }
      return out;
    });
  }

  /**
   * Cluster mode: makes this replica's copy of one mock what the shared store holds. `read` runs in the write queue
   * and answers the mock (`mock` undefined: deleted there), or undefined when there is nothing to do. Nothing is
   * checked again (the replica that wrote it did); this replica's connections of the mock get the mock-change goodbye.
   */
  adopt(id: string, read: () => Promise<{ mock: Mock | undefined } | undefined>): Promise<void> {
    return this.serial(async () => {
      const found = await read();
      if (!found) return;
      const { mock } = found;
      const old = this.c.store.get(id);
      if (!mock) {
        if (!old) return;
        await this.#delete(old, false);
        await this.c.commit();
        return;
      }
      if (old?.enabled && (!mock.enabled || workerOfType(old.type) !== workerOfType(mock.type))) await this.c.registrations.unregister(old);
      if (mock.enabled) await this.c.registrations.applyOrRecordError(mock);
      this.c.store.set(mock);
      await this.c.commit();
      this.c.bus.emit({ type: old ? 'mock.updated' : 'mock.created', mock: this.#view(mock) });
    });
  }
}
