import { readUrl } from './http-values.js';
import type { Reader } from './reader.js';
import { displayKey } from './toml-lines.js';
import type { SourceConfig } from './types.js';

const TYPES = ['demo', 'replay', 'stalwart', 'webhook'] as const;

/** Keys of source types not built yet go through as written, with a warning each. */
function passThrough(r: Reader, base: string[], type: string, out: Record<string, unknown>): void {
  for (const e of r.under(base)) {
    if (r.unused().includes(e)) {
      out[e.path.slice(base.length).join('.')] = e.value;
      r.warn(e, `passed to the ${type} source unchecked`);
    }
  }
  r.consume(base);
}

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
    case 'stalwart': {
      const url = readUrl(r, [...base, 'url']);
      if (!r.has([...base, 'url'])) r.missing(typeEntry, [...base, 'url'], 'required for stalwart sources (the server base URL)');
      const source: SourceConfig = { id, type, url: url ?? '', place };
      passThrough(r, base, type, source);
      return source;
    }
    case 'webhook': {
      const source: SourceConfig = { id, type, place };
      const url = r.string([...base, 'url']);
      if (url !== undefined) source.url = url;
      passThrough(r, base, type, source);
      return source;
    }
  }
}

/** mailtel's `source.<id>.*`: where events come from. */
export function readSources(r: Reader): SourceConfig[] {
  const sources: SourceConfig[] = [];
  for (const id of r.idsWith('source', 'type', 'source')) {
    const s = readSource(r, id);
    if (s) sources.push(s);
  }
  return sources;
}
