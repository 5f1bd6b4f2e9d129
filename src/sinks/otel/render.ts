import { eventInfo } from '../../catalogue/index.js';
import { KEY_KINDS } from '../../catalogue/keys.js';
import { isNestedEvent, type Value } from '../../runtime/event.js';

/**
 * A value as the §7 text line prints it, used where OTel cannot carry the value as-is: a
 * nested event (`<description> (<name>) { k = v, ... }`) and mixed arrays in span attributes.
 */
export function renderText(key: string, v: Value): string {
  if (v === null) return '(null)';
  if (typeof v === 'string') {
    const kind = KEY_KINDS[key];
    return kind === 'ip' || kind === 'timestamp' ? v : `"${escape(v)}"`;
  }
  if (typeof v === 'number') return KEY_KINDS[key] === 'duration' ? `${v}ms` : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map((x) => renderText(key, x)).join(', ')}]`;
  if (isNestedEvent(v)) {
    const description = eventInfo(v.type)?.description ?? v.type;
    const keys = Object.entries(v.data ?? {}).map(([k, x]) => `${k} = ${renderText(k, x)}`);
    return keys.length ? `${description} (${v.type}) { ${keys.join(', ')} }` : `${description} (${v.type})`;
  }
  return String(v);
}

function escape(s: string): string {
  return s.replace(/[\\\r\n\t]/g, (c) => (c === '\\' ? '\\\\' : c === '\r' ? '\\r' : c === '\n' ? '\\n' : '\\t'));
}
