import type { RuntimeApi } from '../runtime/types.js';

// STUB: replaced by the console screen.
export async function runConsole(runtime: RuntimeApi, _opts: { fps: number; theme: string; historySize: number }): Promise<void> {
  await runtime.stop();
}
