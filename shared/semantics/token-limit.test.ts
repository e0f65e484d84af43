import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/support/fake-clock';
import { estimatePrompt, IMAGE_TOKENS } from './prompt-estimate';
import { compileCounterKey, counterKeyExpression, counterKeyFromExpression, type KeySource } from './token-key';
import { quotaPeriodBounds, TokenLimiter } from './token-limit';

const usage = (prompt: number, completion: number) => ({ prompt, completion });

describe('tokens-per-minute: a sliding one-minute window per counter key', () => {
  it('refuses a key once its actual usage reached the limit, and frees it exactly when the charge leaves the window', () => {
    const clock = new FakeClock();
    const lim = new TokenLimiter({ tokensPerMinute: 1000 });
    const t0 = clock.t;
    expect(lim.admit('a', t0).ok).toBe(true);
    // The answer ends at t0+500 ms: its prompt is charged where the request arrived, its completion at the end.
    lim.settle('a', t0, clock.advance(500), 0, usage(600, 400));
    const refused = lim.admit('a', clock.advance(1000));
    expect(refused).toMatchObject({ ok: false, status: 429, code: 'TokenLimitExceeded', remainingTokens: 0 });
    // Charges are stamped with the end of their 100 ms slot: the prompt (t0+100) leaving frees enough.
    expect(refused.ok ? 0 : refused.retryAfterMs).toBe(t0 + 100 + 60_000 - clock.t);
    clock.t = t0 + 60_099;
    expect(lim.admit('a', clock.t).ok).toBe(false);
    clock.t = t0 + 60_100;
    expect(lim.admit('a', clock.t)).toMatchObject({ ok: true, remainingTokens: 600 });
    clock.t = t0 + 60_600;
    expect(lim.remaining('a', clock.t).remainingTokens).toBe(1000);
  });

  it('is sliding, not fixed: usage from 59 s ago still counts after a minute boundary', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 25, 10, 0, 30));
    const lim = new TokenLimiter({ tokensPerMinute: 100 });
    lim.charge('k', clock.t, clock.t, 100);
    clock.t = Date.UTC(2026, 10, 25, 10, 1, 5); // a fixed minute would have reset at 10:01:00
    expect(lim.admit('k', clock.t).ok).toBe(false);
  });

  it('below the limit without an estimate lets a request through even when it will go over (Learn)', () => {
    const lim = new TokenLimiter({ tokensPerMinute: 1000 });
    lim.charge('k', 0, 0, 999);
    expect(lim.admit('k', 1).ok).toBe(true);
    lim.settle('k', 1, 2, 0, usage(500, 500));
    expect(lim.remaining('k', 3).remainingTokens).toBe(0);
  });

  it('with an estimate, refuses when usage plus the estimate would exceed the limit, and charges the estimate at once', () => {
    const lim = new TokenLimiter({ tokensPerMinute: 1000 });
    expect(lim.admit('k', 0, 600)).toMatchObject({ ok: true, remainingTokens: 400 });
    const second = lim.admit('k', 10, 600);
    expect(second).toMatchObject({ ok: false, status: 429 });
    // 600 + 600 - 1000 = 200 must leave: the whole first charge, stamped at the end of its slot (100 ms).
    expect(second.ok ? 0 : second.retryAfterMs).toBe(100 + 60_000 - 10);
    expect(lim.admit('k', 20, 400).ok).toBe(true);
  });

  it('the actual usage replaces the estimate where it was made; the completion is charged when the answer ends', () => {
    const lim = new TokenLimiter({ tokensPerMinute: 10_000 });
    lim.admit('k', 0, 500);
    lim.settle('k', 0, 30_000, 500, usage(300, 200));
    expect(lim.remaining('k', 30_000).remainingTokens).toBe(10_000 - 500);
    // At 60.1 s the prompt slot left the window; the completion (charged at 30 s) is still in it.
    expect(lim.remaining('k', 60_100).remainingTokens).toBe(10_000 - 200);
    expect(lim.remaining('k', 90_100).remainingTokens).toBe(10_000);
  });

  it('an unknown usage (no usage in the answer) leaves the estimate charged', () => {
    const lim = new TokenLimiter({ tokensPerMinute: 1000 });
    lim.admit('k', 0, 250);
    lim.settle('k', 0, 10, 250, null);
    expect(lim.remaining('k', 20).remainingTokens).toBe(750);
  });

  it('a prompt estimated above the limit itself is refused with a whole window to wait', () => {
    const lim = new TokenLimiter({ tokensPerMinute: 100 });
    const d = lim.admit('k', 0, 101);
    expect(d).toMatchObject({ ok: false, status: 429, retryAfterMs: 60_000 });
    expect(d.ok ? '' : d.message).toMatch(/alone/);
  });

  it('counts keys apart: one capped key does not touch another', () => {
    const lim = new TokenLimiter({ tokensPerMinute: 1000 });
    lim.charge('tenant-b', 0, 0, 5000);
    expect(lim.admit('tenant-b', 1).ok).toBe(false);
    expect(lim.admit('tenant-a', 1)).toMatchObject({ ok: true, remainingTokens: 1000 });
    expect(lim.keyNames().sort()).toEqual(['tenant-a', 'tenant-b']);
  });

  it('speed divides the window', () => {
    const lim = new TokenLimiter({ tokensPerMinute: 10 }, { speed: 10 });
    lim.charge('k', 0, 0, 10);
    expect(lim.admit('k', 5_999).ok).toBe(false);
    expect(lim.admit('k', 6_010).ok).toBe(true);
  });

  it('concurrent admissions overshoot before usage arrives, then block (Learn: limits can be exceeded temporarily)', () => {
    const lim = new TokenLimiter({ tokensPerMinute: 1000 });
    const admitted = [0, 1, 2, 3].map((i) => lim.admit('k', i).ok);
    expect(admitted).toEqual([true, true, true, true]);
    for (const i of [0, 1, 2, 3]) lim.settle('k', i, 100 + i, 0, usage(200, 200));
    expect(lim.remaining('k', 200).remainingTokens).toBe(0);
    expect(lim.admit('k', 200).ok).toBe(false);
  });
});

describe('token quota: a fixed window from the UTC time truncated to the unit; 403 when used up', () => {
  it('truncates periods in UTC (weeks start on Monday)', () => {
    const t = Date.UTC(2026, 10, 25, 13, 47, 12); // a Wednesday
    expect(quotaPeriodBounds('Hourly', t)).toEqual({ start: Date.UTC(2026, 10, 25, 13), end: Date.UTC(2026, 10, 25, 14) });
    expect(quotaPeriodBounds('Daily', t)).toEqual({ start: Date.UTC(2026, 10, 25), end: Date.UTC(2026, 10, 26) });
    expect(quotaPeriodBounds('Weekly', t)).toEqual({ start: Date.UTC(2026, 10, 23), end: Date.UTC(2026, 10, 30) });
    expect(quotaPeriodBounds('Monthly', t)).toEqual({ start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 11, 1) });
    expect(quotaPeriodBounds('Yearly', t)).toEqual({ start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) });
    expect(quotaPeriodBounds('Weekly', Date.UTC(2026, 10, 29, 23)).start).toBe(Date.UTC(2026, 10, 23)); // Sunday
  });

  it('answers 403 with the time to the period end, and resets at the boundary', () => {
    const clock = new FakeClock(Date.UTC(2026, 10, 25, 13, 59, 0));
    const lim = new TokenLimiter({ quota: { tokens: 500, period: 'Hourly' } });
    lim.charge('k', clock.t, clock.t, 500);
    const d = lim.admit('k', clock.advance(30_000));
    expect(d).toMatchObject({ ok: false, status: 403, code: 'TokenQuotaExceeded', retryAfterMs: 30_000, remainingQuota: 0 });
    expect(lim.admit('k', Date.UTC(2026, 10, 25, 14))).toMatchObject({ ok: true, remainingQuota: 500 });
  });

  it('with both limits, the quota answers first', () => {
    const lim = new TokenLimiter({ tokensPerMinute: 100, quota: { tokens: 100, period: 'Daily' } });
    lim.charge('k', 0, 0, 100);
    expect(lim.admit('k', 1)).toMatchObject({ ok: false, status: 403 });
  });
});

describe('counter keys', () => {
  const src = (headers: Record<string, string>, ip = '10.0.0.7', subscription?: string): KeySource => ({ header: (n) => headers[n], ip, subscription });

  it('reads subscription, ip, a header, and the expression forms the engine knows', () => {
    expect(compileCounterKey('subscription').read(src({}, 'x', 'sub#1'))).toBe('sub#1');
    expect(compileCounterKey('ip').read(src({}))).toBe('10.0.0.7');
    expect(compileCounterKey({ header: 'X-Tenant' }).read(src({ 'x-tenant': 'a' }))).toBe('a');
    const expr = compileCounterKey({ expression: '@(context.Request.Headers.GetValueOrDefault("X-Tenant", "anon"))' });
    expect(expr.evaluated).toBe(true);
    expect(expr.read(src({}))).toBe('anon');
    expect(compileCounterKey({ expression: '@(context.Request.IpAddress)' }).read(src({}))).toBe('10.0.0.7');
  });

  it('an expression it cannot evaluate shares one counter and says so', () => {
    const c = compileCounterKey({ expression: '@(context.User.Email.Split(\'@\')[1])' });
    expect(c.evaluated).toBe(false);
    expect(c.read(src({ a: 'b' }))).toBe(c.read(src({}, '1.2.3.4')));
  });

  it('round-trips through the exported expression', () => {
    for (const k of ['subscription', 'ip', { header: 'x-tenant' }, { expression: '@(context.Request.Headers.GetValueOrDefault("x-tenant","z"))' }] as const) {
      expect(counterKeyFromExpression(counterKeyExpression(k))).toEqual(k);
    }
  });
});

describe('prompt estimate', () => {
  it('counts 4 characters per token, 4 per message, 1200 per image, and reads stream', () => {
    const body = JSON.stringify({
      stream: true,
      messages: [
        { role: 'system', content: 'x'.repeat(40) },
        { role: 'user', content: [{ type: 'text', text: 'y'.repeat(8) }, { type: 'image_url', image_url: { url: 'data:' } }] },
      ],
    });
    expect(estimatePrompt(body)).toEqual({ estimate: 4 + 10 + 4 + 2 + IMAGE_TOKENS, stream: true });
    expect(estimatePrompt(JSON.stringify({ input: ['abcd', 'abcdefgh'] }))).toEqual({ estimate: 3, stream: false });
    expect(estimatePrompt('not json')).toEqual({ estimate: 0, stream: false });
  });
});
