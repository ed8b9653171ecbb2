// Where a stream's events come from (contract §4): `events[]` or a `generator`, compiled once per mock version into
// an indexed sequence. Indexing (rather than an iterator) lets a stream start anywhere, which is how Last-Event-ID
// resume works, and lets `perEventDelays[i]` and resume ids (`index + 1`) use one index over the whole stream.

import type { SseEvent, SseSpec } from '../../mocks/types.ts';
import { compileJsonTemplate, compileTemplate, type TemplateContext } from '../../templating/index.ts';
import { toDataText } from '../../contract/sse-wire.ts';

/** One event, compiled: the fields as configured, the data rendered per stream with its request context. */
export interface SourceEvent {
  type?: string;
  id?: string;
  retry?: number;
  comment?: string;
  delay?: number;
  renderData(ctx: TemplateContext): string;
}

export interface EventSequence {
  /** How many events the source holds; Infinity when it never runs out. */
  readonly length: number;
  /** The event at `index`, for 0 ≤ index < length. */
  at(index: number): SourceEvent;
}

/** Data renderer: strings are templates, strings inside JSON values too (§3.3); other values are fixed JSON. */
export function compileData(data: unknown): (ctx: TemplateContext) => string {
  if (typeof data === 'string') {
    const template = compileTemplate(data);
    return template.isStatic ? () => data : (ctx) => template.render(ctx);
  }
  if (typeof data === 'object' && data !== null) {
    const template = compileJsonTemplate(data);
    return (ctx) => template.renderJson(ctx);
  }
  const text = toDataText(data);
  return () => text;
}

export function compileEvent(event: Pick<SseEvent, 'data'> & Partial<SseEvent>): SourceEvent {
  const out: SourceEvent = { renderData: compileData(event.data) };
  if (event.type !== undefined) out.type = event.type;
  if (event.id !== undefined) out.id = event.id;
  if (event.retry !== undefined) out.retry = event.retry;
  if (event.comment !== undefined) out.comment = event.comment;
  if (event.delay !== undefined) out.delay = event.delay;
  return out;
}

export function compileSequence(spec: SseSpec): EventSequence {
  if (spec.events) return listSequence(spec.events.map(compileEvent), 1);
  const generator = spec.generator!;
  const count = generator.count && generator.count > 0 ? generator.count : Infinity;
  const inner = compileGenerator(generator);
  return count >= inner.length ? inner : { length: count, at: inner.at };
}

function compileGenerator(generator: NonNullable<SseSpec['generator']>): EventSequence {
  switch (generator.type) {
    case 'sequence': {
      const { start = 1, increment = 1, format = '%d' } = generator.sequence ?? {};
      // Events of the sequence generator carry no `event:` line: a typeless event is a `message` event (§4).
      return { length: Infinity, at: (i) => ({ renderData: () => format.replaceAll('%d', String(start + i * increment)) }) };
    }
    case 'random': {
      // Numeric results are sent as numbers: `{"t":"{{random.int(1,9)}}"}` becomes `{"t":7}` (§4).
      const schema = compileJsonTemplate(generator.random?.schema ?? {}, { numericResults: true });
      const event: SourceEvent = { renderData: (ctx) => schema.renderJson(ctx) };
      return { length: Infinity, at: () => event };
    }
    case 'template': {
      const template = generator.template ?? { events: [] };
      return listSequence(template.events.map(compileEvent), template.repeat ?? 1);
    }
  }
}

/** A list sent in order `repeat` times (0 = forever); an empty list holds nothing however often it repeats. */
function listSequence(events: SourceEvent[], repeat: number): EventSequence {
  const n = events.length;
  const length = n === 0 ? 0 : repeat === 0 ? Infinity : n * repeat;
  return { length, at: (i) => events[i % n]! };
}

/** The id an event goes out with: its own, else `index + 1` when resume is on (§4), else none. */
export function eventId(event: SourceEvent, index: number, resume: boolean): string | undefined {
  return event.id ?? (resume ? String(index + 1) : undefined);
}

function eventIdAt(sequence: EventSequence, index: number): string | undefined {
  return eventId(sequence.at(index), index, true);
}

/** How far back a Last-Event-ID is looked up in an unbounded source before giving up and starting over. */
const RESUME_SCAN_LIMIT = 100_000;

/**
 * The index to start at for a `Last-Event-ID` (resume on, §4): just after the first event with that id, or 0 when no
 * event has it. Resume ids are `index + 1`, so a numeric id is checked directly before scanning.
 */
export function findResumeIndex(sequence: EventSequence, lastEventId: string): number {
  if (/^[1-9]\d{0,15}$/.test(lastEventId)) {
    const index = Number(lastEventId) - 1;
    if (index < sequence.length && eventIdAt(sequence, index) === lastEventId) {
      // An explicit id equal to an earlier auto id would come first in a scan.
      const earlier = scanForId(sequence, lastEventId, Math.min(index, RESUME_SCAN_LIMIT));
      return (earlier ?? index) + 1;
    }
  }
  const found = scanForId(sequence, lastEventId, Math.min(sequence.length, RESUME_SCAN_LIMIT));
  return found === undefined ? 0 : found + 1;
}

function scanForId(sequence: EventSequence, id: string, end: number): number | undefined {
  for (let i = 0; i < end; i++) if (eventIdAt(sequence, i) === id) return i;
  return undefined;
}
