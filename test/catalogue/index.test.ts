import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { EVENTS, eventInfo, typeId } from '../../src/catalogue/index.js';
import { ROOT } from '../helpers/cli.js';
import { stalwartTsv } from '../helpers/stalwart-data.js';

const V15 = stalwartTsv('events-v0.15.tsv');
const V16 = stalwartTsv('events-v0.16.tsv');

describe('catalogue type ids', () => {
  it('keeps the v0.15 declaration-order id and the v0.16 id of every event, as in data/stalwart', () => {
    expect(V15).toHaveLength(591);
    expect(V16).toHaveLength(637);
    for (const [name, , , id] of V15) expect(typeId(name!, '0.15'), name).toBe(Number(id));
    for (const [name, , , id] of V16) expect(typeId(name!, '0.16'), name).toBe(Number(id));
    const v15 = new Set(V15.map((r) => r[0]));
    const v16 = new Set(V16.map((r) => r[0]));
    expect(EVENTS.filter((e) => e.v15Id === undefined).every((e) => !v15.has(e.name) && v16.has(e.name))).toBe(true);
    expect(EVENTS.filter((e) => e.v16Id === undefined).every((e) => !v16.has(e.name) && v15.has(e.name))).toBe(true);
  });

  it('auth.success is 551 in v0.15 and 37 in v0.16; smtp.connection-start 107 and 417', () => {
    expect(eventInfo('auth.success')).toMatchObject({ v15Id: 551, v16Id: 37, inV15: true, inV16: true });
    expect(eventInfo('smtp.connection-start')).toMatchObject({ v15Id: 107, v16Id: 417 });
    // alphabetical row positions are not type ids
    expect(EVENTS.findIndex((e) => e.name === 'auth.success')).not.toBe(551);
  });

  it('names one version lacks have no id in it', () => {
    expect(eventInfo('registry.build-error')).toMatchObject({ v15Id: undefined, v16Id: 61, inV15: false, inV16: true });
    expect(typeId('registry.build-error', '0.15')).toBeUndefined();
    expect(eventInfo('queue.queue-message')).toMatchObject({ v16Id: undefined, inV15: true, inV16: false });
    expect(typeId('custom.thing', '0.15')).toBeUndefined();
  });

  it('npm run gen reproduces the committed data.generated.ts from data/stalwart', () => {
    const out = execFileSync(process.execPath, ['scripts/gen-catalogue.mjs', '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toContain('is up to date');
  });
});
