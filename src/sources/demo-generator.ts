import type { IncomingEvent } from '../runtime/event.js';
import { bruteForce, httpSession, imapSession, incident } from './demo-access.js';
import { delivery, smtpInbound, smtpSubmission } from './demo-mail.js';
import { DemoWorld } from './demo-world.js';

interface Session {
  events: IncomingEvent[];
  pos: number;
}

const SCENARIOS = { smtpInbound, smtpSubmission, delivery, imapSession, httpSession, incident, bruteForce };
const WEIGHTS: Record<keyof typeof SCENARIOS, number> = {
  smtpInbound: 30,
  smtpSubmission: 10,
  delivery: 6,
  imapSession: 22,
  httpSession: 22,
  incident: 3,
  bruteForce: 0.05,
};
/** The session that is always a brute-force run (about 2.5 min in at 40 events/s, once the security panel has a baseline). */
const FIRST_ATTACK = 480;

/**
 * Deterministic demo traffic: keeps `concurrency` sessions open and takes each next event from
 * one of them at random, so spans overlap the way a busy server's do. The same seed gives the
 * same events (without `createdAt`, which the source stamps).
 */
export class DemoGenerator {
  private readonly world: DemoWorld;
  private readonly open: Session[] = [];
  private started = 0;

  constructor(
    seed: number,
    private readonly concurrency = 8,
  ) {
    this.world = new DemoWorld(seed);
  }

  /** Sessions (and lone incidents) started so far. */
  get sessions(): number {
    return this.started;
  }

  /** Sessions currently open. */
  get active(): number {
    return this.open.length;
  }

  next(): IncomingEvent {
    while (this.open.length < this.concurrency) this.open.push({ events: this.startSession(), pos: 0 });
    const i = Math.floor(this.world.rng.next() * this.open.length);
    const s = this.open[i]!;
    const ev = s.events[s.pos++]!;
    if (s.pos >= s.events.length) {
      this.open[i] = this.open[this.open.length - 1]!;
      this.open.pop();
    }
    return ev;
  }

  private startSession(): IncomingEvent[] {
    this.started++;
    const w = this.world;
    if (this.started === FIRST_ATTACK) return bruteForce(w);
    // Queued submissions pull their delivery in soon after, as a real queue would.
    const weights = w.outbox.length > 4 ? { ...WEIGHTS, delivery: WEIGHTS.delivery + 20 } : WEIGHTS;
    return SCENARIOS[w.rng.weighted(weights)](w);
  }
}
