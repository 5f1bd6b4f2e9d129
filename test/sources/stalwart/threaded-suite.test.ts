import { fileURLToPath } from 'node:url';

// The live-source and repeat tests once more, with the trace stream on its own thread as the
// built command runs it (threaded.ts; the thread's code is dist/sse-worker.js, which `npm test`
// builds before vitest runs). Each test file runs in its own worker, so this setting stays here.
process.env.MAILTEL_SSE_WORKER = fileURLToPath(new URL('../../../dist/sse-worker.js', import.meta.url));
await import('./live-source.test.js');
await import('./repeats.test.js');
