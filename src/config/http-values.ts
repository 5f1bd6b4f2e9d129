import { parseHeaderList } from './headers.js';
import type { Path, Reader } from './reader.js';

/** An http(s) URL, or undefined after recording an error. */
export function readUrl(r: Reader, path: Path): string | undefined {
  const text = r.string(path);
  if (text === undefined) return undefined;
  let ok = false;
  try {
    const u = new URL(text);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false;
  }
  if (ok) return text;
  r.error(r.get(path)!, 'expected an http:// or https:// URL');
  return undefined;
}

/** `headers`: a list of `"Name: value"` strings; an invalid entry is an error. */
export function readHeaders(r: Reader, path: Path): Record<string, string> | undefined {
  const items = r.strings(path);
  if (!items) return undefined;
  const parsed = parseHeaderList(items);
  if ('headers' in parsed) return parsed.headers;
  r.error(r.get(path)!, `item ${parsed.index + 1}: ${parsed.problem}`);
  return undefined;
}
