import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isEvent } from '../../catalogue/index.js';
import { parseEventObject, protectBigIntegers } from '../../format/json-parse.js';
import type { IncomingEvent } from '../../runtime/event.js';
import type { Source, SourceContext } from '../../runtime/types.js';
import { SpanKeyFolder } from '../replay-spans.js';
import type { WebhookSourceConfig } from './config.js';
import { authorized, signatureValid } from './verify.js';

interface Counts {
  requests: number;
  accepted: number;
  unauthorized: number;
  malformed: number;
  tooLarge: number;
  events: number;
  unknownTypes: number;
}

/**
 * The webhook intake (docs/stalwart.md §3 seen from the receiving end): Stalwart POSTs `{"events":[...]}` here.
 * Checks come before parsing (auth, then the signature over the raw bytes), a body over
 * `max-body` is refused with 413 as soon as it is known to be one, a malformed body is refused
 * whole with 400 and the reason, and 200 is sent only once the pipeline took every event.
 */
export function createWebhookIntake(cfg: WebhookSourceConfig): Source {
  return {
    id: cfg.id,
    type: 'webhook',
    target: `${cfg.listen}${cfg.path}`,
    run: (ctx) => runIntake(cfg, ctx),
  };
}

async function runIntake(cfg: WebhookSourceConfig, ctx: SourceContext): Promise<void> {
  const counts: Counts = { requests: 0, accepted: 0, unauthorized: 0, malformed: 0, tooLarge: 0, events: 0, unknownTypes: 0 };
  const folder = new SpanKeyFolder();
  let chain: Promise<unknown> = Promise.resolve();
  const details = () => ({ ...counts, listen: cfg.listen, path: cfg.path });
  const server = createServer((req, res) => {
    counts.requests++;
    handle(req, res)
      .catch((e: unknown) => {
        ctx.error(`request failed: ${(e as Error).message}`);
        if (!res.headersSent) answer(res, 500, 'internal error');
      })
      .finally(() => ctx.setState('running', details()));
  });
  server.headersTimeout = 10_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== cfg.path) return answer(res, 404, `POST events to ${cfg.path}`);
    if (req.method !== 'POST') return answer(res, 405, 'only POST');
    if (cfg.auth && !authorized(req.headers.authorization, cfg.auth)) {
      counts.unauthorized++;
      ctx.error(`401 from ${req.socket.remoteAddress}: missing or wrong Authorization`);
      return refuse(req, res, 401, 'missing or wrong Authorization');
    }
    const body = await readBody(req, cfg.maxBodyBytes);
    if (body === undefined) {
      counts.tooLarge++;
      ctx.error(`413 from ${req.socket.remoteAddress}: body over max-body (${cfg.maxBodyBytes} bytes)`);
      return refuse(req, res, 413, `body over max-body (${cfg.maxBodyBytes} bytes)`);
    }
    if (cfg.signatureKey !== undefined && !signatureValid(req.headers['x-signature'], body, cfg.signatureKey)) {
      counts.unauthorized++;
      const why = req.headers['x-signature'] === undefined ? 'no X-Signature header' : 'X-Signature does not match the body';
      ctx.error(`401 from ${req.socket.remoteAddress}: ${why}`);
      return answer(res, 401, why);
    }
    const parsed = parseBody(body);
    if (typeof parsed === 'string') {
      counts.malformed++;
      ctx.error(`400 from ${req.socket.remoteAddress}: ${parsed}`);
      return answer(res, 400, parsed);
    }
    // One batch at a time, in arrival order; the answer waits until the pipeline took it all.
    const turn = chain.then(() => ingest(parsed));
    chain = turn.catch(() => undefined);
    await turn;
    counts.accepted++;
    answer(res, 200, `accepted ${parsed.length} events`);
  }

  async function ingest(events: IncomingEvent[]): Promise<void> {
    for (const ev of events) {
      if (ctx.signal.aborted) throw new Error('stopping');
      folder.fold(ev);
      if (!isEvent(ev.type)) counts.unknownTypes++;
      counts.events++;
      if (!ctx.emit(ev)) await ctx.ready();
    }
  }

  const listening = await new Promise<string | undefined>((resolve) => {
    server.once('error', (e: NodeJS.ErrnoException) => resolve(`cannot listen on ${cfg.listen}: ${e.code ?? ''} ${e.message}`.trim()));
    server.listen(cfg.port, cfg.host, () => resolve(undefined));
  });
  if (listening !== undefined) {
    ctx.setState('failing', { reason: listening, ...details() });
    ctx.error(listening);
    return;
  }
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  ctx.setState('running', { ...details(), port, phase: 'listening' });
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  ctx.setState('stopped', details());
}

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) + 1 });
  res.end(text + '\n');
}

/** Answers, then drops the connection: what the client still sends is not read. */
function refuse(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  res.setHeader('Connection', 'close');
  answer(res, status, text);
  res.on('finish', () => {
    req.unpipe();
    req.socket.destroySoon?.();
  });
  req.resume();
}

/** The raw body, or undefined once it is known to be over `max` (the rest is not kept). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        req.off('data', onData);
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

/** The events of a webhook body, or why it is refused (the first problems, numbered by element). */
export function parseBody(body: Buffer): IncomingEvent[] | string {
  let value: unknown;
  try {
    value = JSON.parse(protectBigIntegers(body.toString('utf8')));
  } catch (e) {
    return `not JSON: ${(e as Error).message.slice(0, 160)}`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Array.isArray((value as { events?: unknown }).events)) {
    return 'expected {"events":[...]} (a Stalwart webhook body)';
  }
  const items = (value as { events: unknown[] }).events;
  const events: IncomingEvent[] = [];
  const problems: string[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item === 'object' && item !== null && (item as { createdAt?: unknown }).createdAt === undefined) {
      problems.push(`events[${i}]: missing "createdAt"`);
      continue;
    }
    const ev = parseEventObject(item);
    if ('error' in ev) problems.push(`events[${i}]: ${ev.error}`);
    else events.push(ev);
  }
  if (problems.length > 0) {
    const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
    return `${problems.slice(0, 3).join('; ')}${more}; nothing from this request was ingested`;
  }
  return events;
}
