import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * `mkdir -p` that always returns, without blocking the event loop. Node's recursive mkdir never
 * returns for some paths (under /proc it loops forever, sync or async), so this walks up one
 * level at a time with plain mkdir: a level that cannot be made is an error naming the path.
 */
export async function ensureDir(path: string, depth = 0): Promise<void> {
  try {
    await mkdir(path);
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if ((await stat(path)).isDirectory()) return;
      throw new Error(`${path} exists and is not a directory`);
    }
    const parent = dirname(path);
    if (code !== 'ENOENT' || parent === path || depth > 64) throw e;
    await ensureDir(parent, depth + 1);
  }
  // The parent exists now: one more try, whose error (if any) is the real reason.
  await mkdir(path).catch(async (e: NodeJS.ErrnoException) => {
    if (e.code === 'EEXIST' && (await stat(path)).isDirectory()) return;
    throw e;
  });
}
