/**
 * The v0.15.5 event keys (docs/stalwart.md §5) that need a non-string rendering. JSON carries IPs and timestamps
 * as strings and durations as integer milliseconds; the text format prints IPs and timestamps
 * bare and durations as `<n>ms`, so the key tells which is which.
 */
export type KeyKind = 'duration' | 'ip' | 'timestamp';

export const KEY_KINDS: Readonly<Record<string, KeyKind>> = {
  elapsed: 'duration',
  remoteIp: 'ip',
  localIp: 'ip',
  due: 'timestamp',
  expires: 'timestamp',
  nextRetry: 'timestamp',
  nextDsn: 'timestamp',
  validFrom: 'timestamp',
  validTo: 'timestamp',
};

/** camelCase key → the kebab-case id used by live filters (`remoteIp` → `remote-ip`). */
export function keyId(key: string): string {
  return key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
