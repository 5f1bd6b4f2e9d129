/** Largest |ms| a JS Date can hold; beyond it `toISOString` throws. */
const MAX_DATE_MS = 8.64e15;

/**
 * RFC3339 UTC at second precision (`2025-06-15T18:02:57Z`) of unix seconds. Values a Date
 * cannot hold (NaN, huge) come back as the plain number so bad input never throws.
 */
export function rfc3339(seconds: number): string {
  const ms = seconds * 1000;
  if (!(Math.abs(ms) <= MAX_DATE_MS)) return String(seconds);
  const iso = new Date(ms).toISOString();
  // `2025-06-15T18:02:57.000Z`; extended years (`+012345-...`) keep their own length.
  return iso.slice(0, iso.length - 5) + 'Z';
}

/** One-entry cache: consecutive events mostly share the same second. */
export class SecondCache {
  private sec = NaN;
  private text = '';

  get(seconds: number): string {
    if (seconds !== this.sec) {
      this.sec = seconds;
      this.text = rfc3339(seconds);
    }
    return this.text;
  }
}
