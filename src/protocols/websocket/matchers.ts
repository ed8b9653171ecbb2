// Message matching of contract §5: `{type: exact|contains|prefix|suffix|regex|json, value?, path?, messageType?}`.
// Each match is compiled once per mock version (regexes built, JSON paths parsed) into a plain predicate.

import type { WsMatch } from '../../mocks/types.ts';
import { deepEqual } from '../../util/deep-equal.ts';
import { evaluateJsonPath, parseJsonPath } from '../../util/json-path.ts';
import type { WsMessage } from './message.ts';

export type MessagePredicate = (message: WsMessage) => boolean;

/** Compiles a validated match; throws only on input the schema rejects (a bad regex or JSON path). */
export function compileMatch(match: WsMatch): MessagePredicate {
  const test = compileCriterion(match);
  const only = match.messageType;
  // `messageType` limits the entry to one frame type (§5).
  if (only === undefined) return test;
  return (message) => message.type === only && test(message);
}

function compileCriterion(match: WsMatch): MessagePredicate {
  const value = typeof match.value === 'string' ? match.value : String(match.value ?? '');
  // String types compare against the message's UTF-8 text (§5).
  switch (match.type) {
    case 'exact':
      return (m) => m.text === value;
    case 'contains':
      return (m) => m.text.includes(value);
    case 'prefix':
      return (m) => m.text.startsWith(value);
    case 'suffix':
      return (m) => m.text.endsWith(value);
    case 'regex': {
      // Not global or sticky, so `test` keeps no lastIndex state between messages.
      const re = new RegExp(value);
      return (m) => re.test(m.text);
    }
    case 'json':
      return compileJsonMatch(match);
  }
}

/** `json`: the value at `path` deep-equals `value`, or, when `value` is omitted, the path exists. */
function compileJsonMatch(match: WsMatch): MessagePredicate {
  const segments = parseJsonPath(match.path ?? '$');
  const hasValue = match.value !== undefined;
  const expected = match.value;
  return (m) => {
    const doc = m.json;
    if (doc === undefined) return false;
    const found = evaluateJsonPath(doc.value, segments);
    if (!found.found) return false;
    return hasValue ? deepEqual(found.value, expected) : true;
  };
}
