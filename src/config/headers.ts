/** RFC 9110 token characters: what a header name may contain. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Stalwart's header list: `"Name: value"` strings, split at the first colon, both sides trimmed.
 * Returns the headers, or the problem with the entry at `index` (values are never echoed: they
 * may be credentials).
 */
export function parseHeaderList(items: readonly string[]): { headers: Record<string, string> } | { index: number; problem: string } {
  const headers: Record<string, string> = {};
  for (const [index, item] of items.entries()) {
    const colon = item.indexOf(':');
    if (colon < 0) return { index, problem: 'expected "Name: value" (no colon found)' };
    const name = item.slice(0, colon).trim();
    const value = item.slice(colon + 1).trim();
    if (!TOKEN.test(name)) return { index, problem: `invalid header name ${JSON.stringify(name)}` };
    if (/[\0\r\n]/.test(value)) return { index, problem: `invalid value for header ${name}: control characters are not allowed` };
    headers[name] = value;
  }
  return { headers };
}
