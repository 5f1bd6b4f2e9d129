import { fileURLToPath } from 'node:url';

// The live-source and repeat tests a third time: the trace stream on its own thread, the frames
// parsed on the main thread (MAILTEL_SSE_PARSE=main, as on one core; threaded.ts parseOnThread).
// Each test file runs in its own worker, so these settings stay here.
process.env.MAILTEL_SSE_WORKER = fileURLToPath(new URL('../../../dist/sse-worker.js', import.meta.url));
process.env.MAILTEL_SSE_PARSE = 'main';
await import('./live-source.test.js');
await import('./repeats.test.js');
