// MQTT 3.1.1 topic names and filters (§4.7): `/`-separated levels, `+` one whole level, `#` the last level and
// everything below it (the parent level included, [MQTT-4.7.1-2]). Filters starting with a wildcard never match
// topics starting with `$` ([MQTT-4.7.2-1]). Syntax checks live with the schema (src/mocks/schema/mqtt.ts).

function hidesSystemTopic(filterLevel: string | undefined, topicLevel: string | undefined): boolean {
  return (filterLevel === '+' || filterLevel === '#') && topicLevel !== undefined && topicLevel.startsWith('$');
}

/** True when the topic name matches the filter. */
export function matchesFilter(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  if (hidesSystemTopic(f[0], t[0])) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** True when every topic the filter `inner` matches is also matched by `outer` (inner ⊆ outer). */
export function isFilterWithin(inner: string, outer: string): boolean {
  const s = inner.split('/');
  const a = outer.split('/');
  if (hidesSystemTopic(a[0], s[0])) return false;
  for (let i = 0; ; i++) {
    if (a[i] === '#') return true;
    if (i >= s.length || i >= a.length) return s.length === a.length;
    if (s[i] === '#') return false;
    if (a[i] === '+') continue;
    if (s[i] === '+' || s[i] !== a[i]) return false;
  }
}

/** True when some topic name is matched by both filters. */
export function filtersOverlap(x: string, y: string): boolean {
  const a = x.split('/');
  const b = y.split('/');
  if (hidesSystemTopic(a[0], b[0]) || hidesSystemTopic(b[0], a[0])) return false;
  for (let i = 0; ; i++) {
    if (a[i] === '#' || b[i] === '#') return true;
    if (i >= a.length || i >= b.length) return a.length === b.length;
    if (a[i] === '+' || b[i] === '+') continue;
    if (a[i] !== b[i]) return false;
  }
}
