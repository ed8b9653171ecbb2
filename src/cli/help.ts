// cac's help, as a user reads it. cac has no nested commands, so multi-word commands are registered as one token
// (`websocket:connections:list`, see registry.ts); the help shows the words the user types instead, and replaces
// cac's list of one `--help` line per command with a single line. Commands that differ only in one word (the same
// verbs for each protocol, `chaos enable|disable|…`) are shown once, with the words they take, so the global help
// stays one screen; `mockd <command> --help` still has each command's own usage.

import { PROTOCOLS } from '../contract/protocols.ts';
import { commandName, type CommandDef } from './registry.ts';

interface HelpSection {
  title?: string;
  body: string;
}

const PROTOCOL_WORDS: readonly string[] = PROTOCOLS;

/** One line of the Commands list, or the group it folds into (same key = same line). */
interface Row {
  name: string;
  description: string;
}

/** The line a command folds into, or undefined when it stays as it is. */
function groupOf(row: Row): { key: string; row: Row } | undefined {
  const words = row.name.split(' ');
  const [first, second, third] = words;
  if (PROTOCOL_WORDS.includes(first!)) {
    const protocols = `${PROTOCOL_WORDS.join('|')}`;
    if (second === 'stats') return { key: 'stats', row: { name: `${protocols} stats`, description: 'Connection statistics of one protocol' } };
    if (second === 'connections') {
      if (third === 'list' || third === '[verb]') {
        return { key: 'list', row: { name: `${protocols} connections [list]`, description: 'List live connections of one protocol (ws = websocket)' } };
      }
      if (third === 'get' || third === 'close') return { key: 'get', row: { name: `${protocols} connections get|close <id>`, description: 'Show or close one live connection' } };
      if (third === 'fault' || third === 'lift') {
        return {
          key: 'fault',
          row: {
            name: `${protocols} connections fault|lift <id>`,
            description: 'Put a fault on one connection (reset, drop, stall, delay, drop-messages, close; mqtt drop-puback; grpc goaway), or lift it',
          },
        };
      }
    }
    return undefined;
  }
  if (first === 'chaos') return { key: 'chaos', row: { name: 'chaos enable|disable|status|profiles|apply', description: 'Chaos across mocks: turn it on or off, show it, list or apply a named profile' } };
  if (first === 'tls' && (second === 'ca' || second === 'reload')) {
    return { key: 'tls', row: { name: 'tls ca|reload', description: 'Print the CA that --tls-auto generated (PEM), or reload the certificates for new handshakes' } };
  }
  if (first === 'record' && second !== undefined && PROTOCOL_WORDS.concat('http').includes(second)) {
    return { key: 'record', row: { name: 'record http|sse|websocket|mqtt|grpc', description: 'Create a proxy mock that records the traffic to --upstream' } };
  }
  return undefined;
}

/** Folds the Commands list (cac's two columns) and aligns it again. */
export function foldCommands(body: string): string {
  const rows: Row[] = [];
  const seen = new Set<string>();
  for (const line of body.split('\n')) {
    const m = /^ {2}(\S.*?) {2,}(.*)$/.exec(line);
    const row = m ? { name: m[1]!, description: m[2]! } : { name: line.trim(), description: '' };
    if (row.name === '') continue;
    const group = groupOf(row);
    if (!group) rows.push(row);
    else if (!seen.has(group.key)) {
      seen.add(group.key);
      rows.push(group.row);
    }
  }
  const width = Math.max(...rows.map((r) => r.name.length));
  return rows.map((r) => `  ${r.name.padEnd(width)}  ${r.description}`.trimEnd()).join('\n');
}

export function userFacingHelp(sections: HelpSection[], commands: CommandDef[]): HelpSection[] {
  const words = new Map(commands.filter((c) => c.path.length > 1).map((c) => [commandName(c.path), c.path.join(' ')]));
  // Longest names first, so `logs:clear` is never half-replaced by a shorter name it starts with.
  const names = [...words.keys()].sort((a, b) => b.length - a.length);
  const toWords = (text: string) => names.reduce((out, name) => out.split(name).join(words.get(name)!), text);
  return sections.map((section) => {
    if (section.title?.startsWith('For more info')) return { title: 'For more info', body: '  $ mockd <command> --help' };
    // `:` and ` ` have the same width, so cac's column alignment holds.
    const body = toWords(section.body);
    return { title: section.title, body: section.title === 'Commands' ? foldCommands(body) : body };
  });
}
