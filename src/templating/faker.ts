// `faker.*` (§3.3): plausible fake values from small built-in lists, so templating needs no faker dependency.
import { randomUUID } from 'node:crypto';

const FIRST_NAMES = [
  'Ada', 'Alan', 'Alice', 'Amara', 'Ben', 'Carmen', 'Chen', 'Clara', 'Daniel', 'Diego', 'Elena', 'Emma', 'Farah',
  'Grace', 'Hana', 'Ivan', 'Jonas', 'Julia', 'Kenji', 'Lars', 'Leila', 'Liam', 'Lucia', 'Maya', 'Mateo', 'Nina',
  'Noah', 'Olivia', 'Omar', 'Priya', 'Rafael', 'Sara', 'Sofia', 'Tariq', 'Uma', 'Victor', 'Wei', 'Yara', 'Yusuf', 'Zoe',
];
const LAST_NAMES = [
  'Anderson', 'Baker', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen', 'Kim', 'Kowalski',
  'Lopez', 'Martin', 'Meyer', 'Nakamura', 'Novak', 'Okafor', 'Patel', 'Quinn', 'Rossi', 'Santos', 'Schmidt', 'Silva',
  'Smith', 'Tanaka', 'Torres', 'Nguyen', 'Walker', 'Weber', 'Wilson', 'Young', 'Zhang', 'Moreau', 'Ali', 'Berg',
];
const WORDS = [
  'alpha', 'amber', 'anchor', 'apple', 'arrow', 'atlas', 'beacon', 'birch', 'bright', 'cable', 'canyon', 'cedar',
  'cloud', 'comet', 'copper', 'coral', 'delta', 'drift', 'ember', 'falcon', 'field', 'forest', 'garden', 'glacier',
  'harbor', 'hollow', 'island', 'jasper', 'lantern', 'maple', 'meadow', 'meteor', 'nectar', 'orbit', 'pebble',
  'pixel', 'quartz', 'river', 'rocket', 'saddle', 'signal', 'silver', 'spark', 'stone', 'summit', 'thunder', 'timber',
  'valley', 'velvet', 'willow', 'window', 'yonder', 'zephyr', 'quiet', 'rapid', 'gentle', 'hidden', 'golden', 'swift',
];
// RFC 2606 reserves these domains for examples, so generated addresses can never reach a real mailbox.
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'];

function pick<T>(list: readonly T[]): T {
  return list[Math.floor(Math.random() * list.length)]!;
}

function randomIntBetween(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

function firstName(): string {
  return pick(FIRST_NAMES);
}

function lastName(): string {
  return pick(LAST_NAMES);
}

function email(): string {
  return `${firstName().toLowerCase()}.${lastName().toLowerCase()}${randomIntBetween(1, 99)}@${pick(EMAIL_DOMAINS)}`;
}

function ipv4(): string {
  return `${randomIntBetween(1, 223)}.${randomIntBetween(0, 255)}.${randomIntBetween(0, 255)}.${randomIntBetween(1, 254)}`;
}

function sentence(): string {
  const count = randomIntBetween(5, 10);
  let text = pick(WORDS);
  for (let i = 1; i < count; i++) text += ' ' + pick(WORDS);
  return text[0]!.toUpperCase() + text.slice(1) + '.';
}

/** Generators by lowercase name, merged into the built-in function table. */
export const FAKER_FUNCTIONS: Record<string, () => unknown> = {
  'faker.name': () => `${firstName()} ${lastName()}`,
  'faker.firstname': firstName,
  'faker.lastname': lastName,
  'faker.email': email,
  'faker.uuid': () => randomUUID(),
  'faker.ipv4': ipv4,
  'faker.word': () => pick(WORDS),
  'faker.sentence': sentence,
  'faker.number': () => randomIntBetween(0, 9999),
};
