import type { IncomingEvent, Value } from '../runtime/event.js';

/*
 * Parsed events handed from a worker thread to the main thread as columns rather than by
 * structured clone of the objects (bench/worker.mjs measured both: 500k events of a replay,
 * 221-224k events/s all on one thread, 253-259k cloning the objects, 268-273k in columns, with
 * 3.3 s of CPU cloning against 2.9-3.1 s in columns and 2.6-2.7 s on one thread). The writer sends
 * each event's shape (its type and key names) once, its numbers in a Float64Array and its strings
 * in one array; the reader rebuilds each event's data with a constructor made once per shape, so
 * the objects have one hidden class per shape, as JSON.parse's have. Values other than strings,
 * numbers, booleans and null (arrays, nested events), and events with rarer fields (level, source,
 * span), go over as they are, cloned.
 */

export interface Columns {
  n: number;
  /** Shapes first seen in this batch: [id, type, keys]. */
  defs: [number, string, string[]][];
  /** Per event: shape id, flags; per value: its kind. */
  ops: Int32Array;
  nums: Float64Array;
  strs: string[];
  /** Values that are neither string, number, boolean nor null, and whole events with rare fields. */
  extra: unknown[];
}

const K_STR = 0;
const K_NUM = 1;
const K_TRUE = 2;
const K_FALSE = 3;
const K_NULL = 4;
const K_EXTRA = 5;
const F_CREATED = 1;
const F_SPAN = 2;
const F_SPAN_AT = 4;
const F_WHOLE = 8;
const F_TEXT = 16;

interface Shape {
  id: number;
  keys: string[];
}

/** Shapes made at most; past this (a source inventing keys), events go over as they are. */
const MAX_SHAPES = 10_000;

/** The worker's side: one per stream of events (shapes are numbered once per writer). */
export class ColumnWriter {
  private readonly byType = new Map<string, Shape[]>();
  private next = 0;
  private readonly scratch: string[] = [];

  encode(events: IncomingEvent[]): { cols: Columns; transfer: ArrayBuffer[] } {
    const n = events.length;
    let size = 0;
    for (let e = 0; e < n; e++) {
      size += 2;
      for (const _ in events[e]!.data) size++;
    }
    const ops = new Int32Array(size);
    const nums = new Float64Array(size);
    const strs: string[] = [];
    const extra: unknown[] = [];
    const defs: Columns['defs'] = [];
    let o = 0;
    let u = 0;
    for (let e = 0; e < n; e++) {
      const ev = events[e]!;
      if (ev.source !== undefined || ev.level !== undefined || ev.span !== undefined) {
        ops[o++] = -1;
        ops[o++] = F_WHOLE;
        extra.push(ev);
        continue;
      }
      const d = ev.data;
      const sk = this.scratch;
      let k = 0;
      for (const key in d) sk[k++] = key;
      const shape = this.shape(ev.type, k, defs);
      if (shape === undefined) {
        ops[o++] = -1;
        ops[o++] = F_WHOLE;
        extra.push(ev);
        continue;
      }
      let flags = 0;
      if (ev.createdAt !== undefined) flags |= F_CREATED;
      if (ev.spanId !== undefined) flags |= F_SPAN;
      if (ev.spanAt !== undefined) flags |= F_SPAN_AT;
      if (ev.text !== undefined) flags |= F_TEXT;
      ops[o++] = shape.id;
      ops[o++] = flags;
      if (ev.createdAt !== undefined) nums[u++] = ev.createdAt;
      if (ev.spanId !== undefined) strs.push(ev.spanId);
      if (ev.text !== undefined) strs.push(ev.text);
      if (ev.spanAt !== undefined) nums[u++] = ev.spanAt;
      for (let i = 0; i < k; i++) {
        const v = d[sk[i]!];
        if (typeof v === 'string') {
          ops[o++] = K_STR;
          strs.push(v);
        } else if (typeof v === 'number') {
          ops[o++] = K_NUM;
          nums[u++] = v;
        } else if (v === true) ops[o++] = K_TRUE;
        else if (v === false) ops[o++] = K_FALSE;
        else if (v === null) ops[o++] = K_NULL;
        else {
          ops[o++] = K_EXTRA;
          extra.push(v);
        }
      }
    }
    const cols: Columns = { n, defs, ops, nums: nums.subarray(0, u), strs, extra };
    return { cols, transfer: [ops.buffer as ArrayBuffer, nums.buffer as ArrayBuffer] };
  }

  private shape(type: string, k: number, defs: Columns['defs']): Shape | undefined {
    const sk = this.scratch;
    let list = this.byType.get(type);
    if (list !== undefined) {
      outer: for (let s = 0; s < list.length; s++) {
        const keys = list[s]!.keys;
        if (keys.length !== k) continue;
        for (let i = 0; i < k; i++) if (keys[i] !== sk[i]) continue outer;
        return list[s]!;
      }
    }
    const keys = sk.slice(0, k);
    // A `"__proto__": v` property literal would set the prototype instead (the parsers reject
    // such a key in data anyway).
    if (this.next >= MAX_SHAPES || keys.includes('__proto__')) return undefined;
    const shape = { id: this.next++, keys };
    if (list === undefined) this.byType.set(type, (list = []));
    list.push(shape);
    defs.push([shape.id, type, shape.keys]);
    return shape;
  }
}

interface MainShape {
  type: string;
  n: number;
  make: (v: Value[]) => Record<string, Value>;
}

/** The main thread's side, paired with one writer. */
export class ColumnReader {
  private readonly shapes: MainShape[] = [];
  private readonly vals: Value[] = [];

  /**
   * Learns the shapes `c` defines without reading its events: a batch that is dropped unread
   * (a stale connection's) must still define its shapes, which later batches refer to.
   */
  define(c: Columns): void {
    for (const [id, type, keys] of c.defs) {
      const body = keys.map((k, i) => `${JSON.stringify(k)}: v[${i}]`).join(', ');
      // Key names are written as JSON strings: any name is a valid property literal that way.
      this.shapes[id] = { type, n: keys.length, make: new Function('v', `return { ${body} };`) as MainShape['make'] };
    }
  }

  decode(c: Columns, into: IncomingEvent[]): void {
    this.define(c);
    const { ops, nums, strs, extra } = c;
    const vals = this.vals;
    let o = 0;
    let u = 0;
    let s = 0;
    let x = 0;
    for (let e = 0; e < c.n; e++) {
      const id = ops[o++]!;
      const flags = ops[o++]!;
      if (flags & F_WHOLE) {
        into.push(extra[x++] as IncomingEvent);
        continue;
      }
      const shape = this.shapes[id]!;
      const createdAt = flags & F_CREATED ? nums[u++] : undefined;
      const spanId = flags & F_SPAN ? strs[s++] : undefined;
      const spanAt = flags & F_SPAN_AT ? nums[u++] : undefined;
      const text = flags & F_TEXT ? strs[s++] : undefined;
      for (let i = 0; i < shape.n; i++) {
        const kind = ops[o++]!;
        vals[i] = kind === K_STR ? strs[s++]! : kind === K_NUM ? nums[u++]! : kind === K_TRUE ? true : kind === K_FALSE ? false : kind === K_NULL ? null : (extra[x++] as Value);
      }
      // One object shape for every event, text or not (a property added later would change it).
      into.push({ type: shape.type, data: shape.make(vals), createdAt, spanId, spanAt, text });
    }
  }
}
