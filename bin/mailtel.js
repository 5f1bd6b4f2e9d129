#!/usr/bin/env node
// A signal may come while the bundle loads: record it (src/signals.ts adopts it) instead of
// dying by the default action before mailtel's own handlers exist.
const early = { received: [], listener: (sig) => early.received.push(sig) };
globalThis[Symbol.for('mailtel.early-signals')] = early;
process.on('SIGINT', early.listener);
process.on('SIGTERM', early.listener);
// `ps` and `top` show mailtel (and tests can see that the handlers exist).
process.title = 'mailtel';
await import('../dist/cli.js');
