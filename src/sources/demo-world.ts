import type { EventData, IncomingEvent } from '../runtime/event.js';
import type { DemoEventName } from './demo-names.js';
import { Rng } from './demo-random.js';

export interface DemoUser {
  email: string;
  accountId: number;
}

/** A message queued by a submission session, waiting for its outbound delivery span. */
export interface DemoMessage {
  queueId: number;
  from: string;
  to: string[];
  size: number;
  /** Delivery attempt this message is waiting for (1 = first). */
  attempt?: number;
}

export const LOCAL_DOMAIN = 'example.com';
export const USERS: readonly DemoUser[] = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'].map(
  (name, i) => ({ email: `${name}@${LOCAL_DOMAIN}`, accountId: i + 2 }),
);
export const REMOTE_DOMAINS = ['example.org', 'example.net', 'lists.example.org', 'news.example.net', 'shop.example'];
const REMOTE_NAMES = ['info', 'support', 'noreply', 'jane', 'marc', 'billing', 'team'];
const TLS_VERSIONS = ['TLSv1.3', 'TLSv1.3', 'TLSv1.3', 'TLSv1.2'];

/** The demo's shared state: its PRNG, id counters and the outbound queue. */
export class DemoWorld {
  readonly rng: Rng;
  readonly outbox: DemoMessage[] = [];
  private nextDocument = 1000;

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  event(type: DemoEventName, data: EventData, spanId?: string): IncomingEvent {
    return spanId === undefined ? { type, data } : { type, data, spanId };
  }

  /** A u64 like Stalwart's snowflake span ids (19-20 digits, beyond 2^53). */
  spanId(): string {
    const hi = 0x10000000 + (this.rng.u32() % 0xe0000000);
    return ((BigInt(hi) << 32n) | BigInt(this.rng.u32())).toString();
  }

  /** Queue ids stay below 2^53 so they travel as plain JSON numbers. */
  queueId(): number {
    return (this.rng.u32() % 0x200000) * 4294967296 + this.rng.u32();
  }

  documentId(): number {
    return this.nextDocument++;
  }

  /** Documentation ranges only (RFC 5737, RFC 3849). */
  remoteIp(): string {
    const r = this.rng;
    if (r.chance(0.1)) return `2001:db8:${r.int(1, 0xffff).toString(16)}::${r.int(1, 0xffff).toString(16)}`;
    return `${r.pick(['192.0.2', '198.51.100', '203.0.113'])}.${r.int(1, 254)}`;
  }

  remotePort(): number {
    return this.rng.int(1024, 65535);
  }

  user(): DemoUser {
    return this.rng.pick(USERS);
  }

  remoteAddress(): string {
    return `${this.rng.pick(REMOTE_NAMES)}@${this.rng.pick(REMOTE_DOMAINS)}`;
  }

  tlsVersion(): string {
    return this.rng.pick(TLS_VERSIONS);
  }

  /** A message size in bytes: mostly small, now and then a large attachment. */
  size(): number {
    return this.rng.chance(0.05) ? this.rng.int(1_000_000, 12_000_000) : this.rng.int(1_500, 120_000);
  }

  /** A duration in ms, skewed towards the low end. */
  ms(min: number, max: number): number {
    const u = this.rng.next();
    return Math.round(min + (max - min) * u * u);
  }
}
