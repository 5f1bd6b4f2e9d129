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
  private readonly keys: string[] = [];
  private readonly vals: unknown[] = [];
  /** The batch being written: columns grown as needed, reused from batch to batch. */
  private ops = new Int32Array(1 << 14);
  private nums = new Float64Array(1 << 13);
  private o = 0;
  private u = 0;
  private n = 0;
  private strs: string[] = [];
  private extra: unknown[] = [];
  private defs: Columns['defs'] = [];

  /** Events in the batch being written. */
  get count(): number {
    return this.n;
  }

  encode(events: IncomingEvent[]): { cols: Columns; transfer: ArrayBuffer[] } {
    for (let e = 0; e < events.length; e++) this.add(events[e]!);
    return this.take();
  }

  add(ev: IncomingEvent): void {
    if (ev.source !== undefined || ev.level !== undefined || ev.span !== undefined) {
      this.whole(ev);
      return;
    }
    const d = ev.data;
    const keys = this.keys;
    const vals = this.vals;
    let k = 0;
    for (const key in d) {
      keys[k] = key;
      vals[k++] = d[key];
    }
    if (!this.put(ev.type, ev.createdAt, ev.spanId, ev.spanAt, ev.text, keys, vals, k)) this.whole(ev);
  }

  /**
   * One event whose data is the first `n` of `keys` and `vals` (in order; the arrays may be
   * longer and are the caller's, read here and not kept): what `add` writes for the event built
   * from them, without the event built. False, with nothing written, when no shape is left
   * (MAX_SHAPES) or a key is `__proto__`: then the caller adds the event as it is.
   */
  put(type: string, createdAt: number | undefined, spanId: string | undefined, spanAt: number | undefined, text: string | undefined, keys: readonly string[], vals: readonly unknown[], n: number): boolean {
    const shape = this.shape(type, keys, n);
    if (shape === undefined) return false;
    if (this.o + n + 2 > this.ops.length) this.ops = grow(this.ops, this.o + n + 2);
    if (this.u + n + 2 > this.nums.length) this.nums = grow(this.nums, this.u + n + 2);
    const { ops, nums, strs } = this;
    let o = this.o;
    let u = this.u;
    let flags = 0;
    if (createdAt !== undefined) flags |= F_CREATED;
    if (spanId !== undefined) flags |= F_SPAN;
    if (spanAt !== undefined) flags |= F_SPAN_AT;
    if (text !== undefined) flags |= F_TEXT;
    ops[o++] = shape.id;
    ops[o++] = flags;
    if (createdAt !== undefined) nums[u++] = createdAt;
    if (spanId !== undefined) strs.push(spanId);
    if (text !== undefined) strs.push(text);
    if (spanAt !== undefined) nums[u++] = spanAt;
    for (let i = 0; i < n; i++) {
      const v = vals[i];
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
        this.extra.push(v);
      }
    }
    this.o = o;
    this.u = u;
    this.n++;
    return true;
  }

  /** The batch written so far, to post with its buffers transferred; the writer starts a new one. */
  take(): { cols: Columns; transfer: ArrayBuffer[] } {
    const ops = this.ops.slice(0, this.o);
    const nums = this.nums.slice(0, this.u);
    const cols: Columns = { n: this.n, defs: this.defs, ops, nums, strs: this.strs, extra: this.extra };
    this.o = this.u = this.n = 0;
    this.strs = [];
    this.extra = [];
    this.defs = [];
    return { cols, transfer: [ops.buffer as ArrayBuffer, nums.buffer as ArrayBuffer] };
  }

  private whole(ev: IncomingEvent): void {
    if (this.o + 2 > this.ops.length) this.ops = grow(this.ops, this.o + 2);
    this.ops[this.o++] = -1;
    this.ops[this.o++] = F_WHOLE;
    this.extra.push(ev);
    this.n++;
  }

  private shape(type: string, sk: readonly string[], k: number): Shape | undefined {
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
    this.defs.push([shape.id, type, shape.keys]);
    return shape;
  }
}

function grow<T extends Int32Array | Float64Array>(a: T, need: number): T {
  let size = a.length * 2;
  while (size < need) size *= 2;
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
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
      // One object shape for every event, text or not, with `source` already there: the source's
      // host sets it on every event, and a property added later would change the shape and give
      // each event a second block for it.
      into.push({ type: shape.type, data: shape.make(vals), createdAt, spanId, spanAt, text, source: undefined });
    }
  }
}
