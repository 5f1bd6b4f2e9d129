import { describe, expect, it } from 'vitest';
import { renderCheck } from '../../../src/check.js';
import { parseConfig } from '../../../src/load-config.js';

const SOURCE = 'source.demo.type = "demo"\n';

describe('webhook config', () => {
  it('mailtel check lists each webhook: selected events, signature, auth kind, throttle/timeout/discard-after, secrets masked', () => {
    const cfg = parseConfig(
      SOURCE +
        '[webhook.ops]\nurl = "https://hooks.example/in"\nevents = ["auth.*"]\nsignature-key = "very-secret-key"\nauth.token = "tok-123456789"\nthrottle = "2s"\ndiscard-after = "10m"\n' +
        '[webhook.plain]\nurl = "http://127.0.0.1:9/x"\nevents-policy = "exclude"\nevents = []\nauth.username = "u"\nauth.secret = "pw-123456789"\n',
      'mailtel.toml',
    );
    const text = renderCheck(cfg);
    const ops = text.split('\n').findIndex((l) => /^\s+w_ops\s+webhook\s/.test(l));
    const plain = text.split('\n').findIndex((l) => /^\s+w_plain\s+webhook\s/.test(l));
    const lines = text.split('\n');
    expect(lines[ops]).toMatch(/w_ops\s+webhook\s+\(any\)\s+no\s+yes\s+\d+\s+https:\/\/hooks\.example\/in/);
    expect(lines[ops + 1]).toContain('throttle 2s, timeout 30s, discard-after 10m, signed (key ve****), bearer to****');
    expect(lines[plain + 1]).toContain('throttle 1s, timeout 30s, discard-after 5m, unsigned, basic u:pw****');
    const selected = (i: number) => Number(/\s(\d+)\s+http/.exec(lines[i]!)![1]);
    expect(selected(ops)).toBeGreaterThan(5);
    expect(selected(plain)).toBeGreaterThan(selected(ops));
    expect(text).not.toContain('very-secret-key');
    expect(text).not.toContain('tok-123456789');
    expect(text).not.toContain('pw-123456789');
  });
});
