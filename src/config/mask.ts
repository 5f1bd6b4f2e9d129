/** Shows a secret as `****`: not one of its characters, nor its length. */
export function mask(_secret: string): string {
  return '****';
}

/** Header names whose values are credentials: Authorization, X-Api-Key, Cookie, tokens... */
export function isSecretHeader(name: string): boolean {
  return /auth|token|secret|key|pass|cookie|session/i.test(name);
}

/** Hides the password of `user:pass@host` URLs and the values of token-like query parameters. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    let changed = false;
    if (u.password) {
      u.password = mask(decodeURIComponent(u.password));
      changed = true;
    }
    for (const [k, v] of u.searchParams) {
      if (isSecretHeader(k)) {
        u.searchParams.set(k, mask(v));
        changed = true;
      }
    }
    return changed ? u.toString().replace(/%2A/g, '*') : url;
  } catch {
    return url;
  }
}

/** `Name: value` for display, value masked when the header carries a credential. */
export function showHeader(name: string, value: string): string {
  return `${name}: ${isSecretHeader(name) ? mask(value) : value}`;
}

/** Every header as `Name: value`, credentials masked, comma-separated. */
export function showHeaders(headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => showHeader(k, v)).join(', ');
}
