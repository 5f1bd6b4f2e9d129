import { describe, expect, it } from 'vitest';
import { ALARM_FACTOR, ALARM_FLOOR, securityAlarms, securityLines } from '../../../src/ui/view/security.js';
import { MailFeed } from '../../helpers/mail-feed.js';

/** `perMinute` auth failures a minute from one IP, spread evenly, for `minutes` minutes. */
function steady(f: MailFeed, perMinute: number, minutes: number): void {
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < perMinute; i++) f.emit('auth.failed', { accountName: 'alice@example.com', remoteIp: '192.0.2.1' }, undefined, 60_000 / perMinute);
  }
}

describe('security panel model', () => {
  it('a steady rate, even a high one, is not highlighted', () => {
    const f = new MailFeed();
    steady(f, 30, 12);
    const auth = securityLines(f.index.security(f.now)).find((l) => l.category === 'auth')!;
    expect(auth.perMinute).toBeGreaterThanOrEqual(29);
    expect(auth.perMinute).toBeLessThanOrEqual(30);
    expect(auth.baseline).toBeCloseTo(30, 0);
    expect(auth.total).toBe(360);
    expect(auth.alarm).toBe(false);
    expect(securityAlarms(f.index.security(f.now))).toEqual([]);
  });

  it('a brute-force burst well above its baseline is highlighted, with the IP and accounts behind it', () => {
    const f = new MailFeed();
    steady(f, 2, 10);
    for (let i = 0; i < 80; i++) f.emit('auth.failed', { accountName: `user${i % 5}`, remoteIp: '203.0.113.66' }, undefined, 300);
    f.emit('security.authentication-ban', { remoteIp: '203.0.113.66' });
    const s = f.index.security(f.now);
    const auth = securityLines(s).find((l) => l.category === 'auth')!;
    expect(auth.baseline).toBeCloseTo(2, 0);
    expect(auth.perMinute).toBeGreaterThanOrEqual(80);
    expect(auth.perMinute).toBeLessThanOrEqual(82);
    expect(auth.perMinute).toBeGreaterThanOrEqual(ALARM_FACTOR * auth.baseline);
    expect(auth.alarm).toBe(true);
    expect(securityAlarms(s)).toEqual(['auth']);
    expect(s.topIps[0]).toEqual(['203.0.113.66', 81]);
    expect(securityLines(s).find((l) => l.category === 'ban')!.total).toBe(1);
    // A minute later the burst is over: no highlight.
    f.now += 61_000;
    expect(securityAlarms(f.index.security(f.now))).toEqual([]);
  });

  it('nothing is highlighted without a whole minute of baseline', () => {
    const f = new MailFeed();
    for (let i = 0; i < 50; i++) f.emit('auth.failed', { remoteIp: '192.0.2.9' });
    expect(securityLines(f.index.security(f.now)).find((l) => l.category === 'auth')!.perMinute).toBe(50);
    expect(securityAlarms(f.index.security(f.now))).toEqual([]);
  });

  it('below the floor nothing is an attack, however small the baseline', () => {
    const f = new MailFeed();
    f.emit('smtp.ehlo', { domain: 'x' }, undefined, 130_000); // the index has counted for two minutes
    f.emit('auth.failed', { remoteIp: '192.0.2.9' }, undefined, 65_000);
    for (let i = 0; i < ALARM_FLOOR - 1; i++) f.emit('auth.failed', { remoteIp: '192.0.2.9' }, undefined, 10);
    expect(securityAlarms(f.index.security(f.now))).toEqual([]);
    f.emit('auth.failed', { remoteIp: '192.0.2.9' });
    expect(securityAlarms(f.index.security(f.now))).toEqual(['auth']);
  });
});
