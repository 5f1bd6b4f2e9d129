/**
 * The one polling helper of the tests: calls `predicate` every `intervalMs` until it returns a
 * truthy value, and returns that value; throws after `timeoutMs`. `what` names the condition in
 * the error; pass a function to describe the state at the moment of the timeout (the last
 * screen, say), not the state when the wait began.
 */
export async function waitFor<T>(
  predicate: () => T | undefined | null | false,
  timeoutMs: number,
  what: string | (() => string) = 'condition',
  intervalMs = 10,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = predicate();
    if (v) return v;
    if (Date.now() >= end) {
      const text = typeof what === 'function' ? what() : what;
      throw new Error(`waitFor: ${text} not met within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
