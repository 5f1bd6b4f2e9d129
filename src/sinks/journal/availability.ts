import { statSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Why a journal tracer with this socket cannot work here, known without sending anything:
 * for `mailtel check` warnings (the sink itself finds the same reasons when it starts, as its
 * failing row). Undefined when it looks fine.
 */
export function journalProblem(socket: string, platform: string = process.platform): string | undefined {
  if (platform !== 'linux') return `journald runs only on Linux (this is ${platform}): the journal tracer will fail`;
  if (!koffiInstalled()) return 'the optional package koffi is not installed (npm install without --omit=optional): the journal tracer will fail';
  let st;
  try {
    st = statSync(socket);
  } catch {
    return `no journald socket at ${socket}: the journal tracer will fail until journald listens there`;
  }
  if (!st.isSocket()) return `${socket} is not a Unix socket: the journal tracer will fail`;
  return undefined;
}

function koffiInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('koffi');
    return true;
  } catch {
    return false;
  }
}
