// node:crypto for the bundle (scripts/build.mjs): the same four functions mailtel's HTTP and
// webhook code calls, loading node:crypto on the first call. Importing it loads some twenty
// internal modules (5-20 ms), and the code that imports it shares chunks with the console's
// first frame (check.ts -> http/describe.ts -> http/streams.ts -> http/auth.ts), which never
// calls it. Only imports from src/ come here; the tests run on node:crypto itself.
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);
let crypto;
const c = () => (crypto ??= load('node:crypto'));

export const createHash = (...args) => c().createHash(...args);
export const createHmac = (...args) => c().createHmac(...args);
export const randomBytes = (...args) => c().randomBytes(...args);
export const timingSafeEqual = (...args) => c().timingSafeEqual(...args);
