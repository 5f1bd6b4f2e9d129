/** Polls `predicate` every 10 ms until it returns a truthy value; throws after `timeoutMs`. */
export async function waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs: number, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = predicate();
    if (v) return v;
    if (Date.now() >= end) throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
