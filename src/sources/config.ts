import type { Reader } from '../config/reader.js';
import { displayKey } from '../config/toml-lines.js';
import type { DemoSourceConfig, ReplaySourceConfig } from '../config/types.js';
import { readStalwartSource, type StalwartSourceConfig } from './stalwart/config.js';
import { readWebhookSource, type WebhookSourceConfig } from './webhook-intake/config.js';

export type { DemoSourceConfig, ReplaySourceConfig, StalwartSourceConfig, WebhookSourceConfig };
export type SourceConfig = DemoSourceConfig | ReplaySourceConfig | StalwartSourceConfig | WebhookSourceConfig;

const TYPES = ['demo', 'replay', 'stalwart', 'webhook'] as const;

function readSource(r: Reader, id: string): SourceConfig | undefined {
  const base = ['source', id];
  const typeEntry = r.get([...base, 'type'])!;
  const type = r.choice([...base, 'type'], TYPES);
  if (!type) {
    r.consume(base);
    return undefined;
  }
  const place = { ...r.place(typeEntry), key: displayKey(base) };
  switch (type) {
    case 'demo': {
      const rate = r.number([...base, 'rate'], 50, { above: 0 });
      const seed = r.has([...base, 'seed']) ? r.number([...base, 'seed'], 0, { integer: true }) : undefined;
      r.warnUnread(base, 'demo source');
      return seed === undefined ? { id, type, rate, place } : { id, type, rate, seed, place };
    }
    case 'replay': {
      const path = r.string([...base, 'path']);
      if (path === undefined && !r.has([...base, 'path'])) r.missing(typeEntry, [...base, 'path'], 'required for replay sources (the JSON-lines file to play)');
      const source = {
        id,
        type,
        path: path ?? '',
        speed: r.number([...base, 'speed'], 1, { min: 0 }),
        restamp: r.bool([...base, 'restamp'], false),
        loop: r.bool([...base, 'loop'], false),
        place,
      };
      r.warnUnread(base, 'replay source');
      return source;
    }
    case 'stalwart':
      return readStalwartSource(r, id, typeEntry, place);
    case 'webhook':
      return readWebhookSource(r, id, typeEntry, place);
  }
}

/** mailtel's `source.<id>.*`: where events come from; each kind reads its own keys. */
export function readSources(r: Reader): SourceConfig[] {
  const sources: SourceConfig[] = [];
  for (const id of r.idsWith('source', 'type', 'source')) {
    const s = readSource(r, id);
    if (s) sources.push(s);
  }
  return sources;
}
