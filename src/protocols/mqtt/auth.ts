// Credentials and ACLs of contract §6. Passwords are compared in constant time; an ACL entry's `topic` is a filter
// (`+`, `#`) and `deny` overrides any grant that also matches.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { MqttSpec } from '../../mocks/types.ts';
import { filtersOverlap, isFilterWithin, matchesFilter } from './topic-filter.ts';

export type MqttUser = NonNullable<NonNullable<MqttSpec['auth']>['users']>[number];
export type AclEntry = NonNullable<MqttUser['acl']>[number];
export type AclAction = 'subscribe' | 'publish';

const GRANTS: Record<string, readonly AclAction[]> = {
  read: ['subscribe'],
  subscribe: ['subscribe'],
  write: ['publish'],
  publish: ['publish'],
  readwrite: ['subscribe', 'publish'],
  all: ['subscribe', 'publish'],
};

function grants(entry: AclEntry, action: AclAction): boolean {
  return GRANTS[entry.access]?.includes(action) ?? false;
}

// Hashing first gives timingSafeEqual two buffers of equal length whatever the password lengths are.
function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/** True when the password matches, in time independent of where the two differ. */
export function passwordMatches(expected: string, given: Buffer | string | undefined): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(expected), digest(given));
}

/** The configured user for these credentials, or undefined when they are missing or wrong. */
export function findUser(spec: MqttSpec['auth'], username: string | undefined, password: Buffer | string | undefined): MqttUser | undefined {
  if (username === undefined) return undefined;
  const user = spec?.users?.find((u) => u.username === username);
  if (!user) {
    passwordMatches('', password); // spend the same time whether or not the username exists
    return undefined;
  }
  return passwordMatches(user.password, password) ? user : undefined;
}

/** May this user publish to the topic name? A user without `acl` may do anything. */
export function mayPublish(user: MqttUser | undefined, topic: string): boolean {
  if (!user?.acl) return true;
  if (user.acl.some((e) => e.access === 'deny' && matchesFilter(e.topic, topic))) return false;
  return user.acl.some((e) => grants(e, 'publish') && matchesFilter(e.topic, topic));
}

/**
 * May this user subscribe to the filter? It must lie within one granted filter, and it must not reach any topic
 * a `deny` entry matches (otherwise a broad subscription would deliver denied topics).
 */
export function maySubscribe(user: MqttUser | undefined, filter: string): boolean {
  if (!user?.acl) return true;
  if (user.acl.some((e) => e.access === 'deny' && filtersOverlap(e.topic, filter))) return false;
  return user.acl.some((e) => grants(e, 'subscribe') && isFilterWithin(filter, e.topic));
}
