import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Where a thread's code is: `env` (the value of a MAILTEL_*_WORKER variable) names a file, "0"
 * says to use no thread, and otherwise it is `built`, the entry the build put beside the code
 * (dist/), when it exists. Run from the TypeScript sources there is none: no thread.
 */
export function workerFile(env: string | undefined, built: URL): string | undefined {
  if (env === '0') return undefined;
  if (env !== undefined && env !== '') return env;
  const file = fileURLToPath(built);
  return existsSync(file) ? file : undefined;
}
