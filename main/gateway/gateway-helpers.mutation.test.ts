import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { affinityCookie, stickyMember } from './apim-answers';
import { isLoopback, keyChecker } from './gateway-key';
import { isoClamped, MAX_TIMER_MS, timerDelay } from './long-timer';

/*
 * Small gateway rules, case by case: who may use a gateway bound beyond loopback, how long a reset timer is armed,
 * how an instant is written, and which pool member a session cookie names.
 */

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('keyChecker', () => {
  const ok = keyChecker('the-key');

  it('accepts the key as api-key or as a bearer token, in any case of "Bearer", spaces around it trimmed', () => {
    expect(ok(req({ 'api-key': 'the-key' }))).toBe(true);
    expect(ok(req({ authorization: 'Bearer the-key' }))).toBe(true);
    expect(ok(req({ authorization: 'bearer   the-key  ' }))).toBe(true);
    expect(ok(req({ 'api-key': 'wrong', authorization: 'Bearer the-key' }))).toBe(true);
  });

  it('refuses anything else', () => {
    const refused: Record<string, string>[] = [{}, { 'api-key': 'the-ke' }, { 'api-key': 'the-key ' }, { authorization: 'the-key' }, { authorization: 'Basic the-key' }, { authorization: 'Bearer wrong' }, { authorization: 'xBearer the-key' }];
    for (const h of refused) {
      expect(ok(req(h)), JSON.stringify(h)).toBe(false);
    }
  });
});

describe('isLoopback', () => {
  it('is this machine only', () => {
    for (const h of ['localhost', '::1', '[::1]', '127.0.0.1', '127.1.2.3', '127.10.200.30']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', 'localhost.example.com', '1127.0.0.1', '127.0.0.1.example.com', '127.0.0', '10.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });
});

describe('timerDelay and isoClamped', () => {
  it('arms at least 1 ms, at most the timer maximum, never NaN', () => {
    expect(MAX_TIMER_MS).toBe(2_147_483_647);
    expect(timerDelay(1_000, 0)).toBe(1_000);
    expect(timerDelay(2, 0)).toBe(2);
    expect(timerDelay(1, 0)).toBe(1);
    expect(timerDelay(0, 5)).toBe(1);
    expect(timerDelay(Number.NaN, 0)).toBe(1);
    expect(timerDelay(MAX_TIMER_MS, 0)).toBe(MAX_TIMER_MS);
    expect(timerDelay(MAX_TIMER_MS + 1, 0)).toBe(MAX_TIMER_MS);
    expect(timerDelay(Number.POSITIVE_INFINITY, 0)).toBe(MAX_TIMER_MS);
  });

  it('writes any instant, clamped to what a Date holds', () => {
    expect(isoClamped(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoClamped(Date.UTC(2026, 11, 3, 12))).toBe('2026-12-03T12:00:00.000Z');
    expect(isoClamped(Number.NaN)).toBe('1970-01-01T00:00:00.000Z');
    expect(isoClamped(Number.POSITIVE_INFINITY)).toBe('+275760-09-13T00:00:00.000Z');
    expect(isoClamped(Number.NEGATIVE_INFINITY)).toBe('-271821-04-20T00:00:00.000Z');
    expect(isoClamped(8.64e15)).toBe('+275760-09-13T00:00:00.000Z');
  });
});

describe('session affinity cookie', () => {
  const members = [{ backend: 'east' }, { backend: 'we st' }] as never;

  it('finds the member the named cookie points at', () => {
    expect(stickyMember('s=east', 's', members)).toBe(0);
    expect(stickyMember('a=1; s = we%20st ; b=2', 's', members)).toBe(1);
    expect(stickyMember('ss=east; s=we%20st', 's', members)).toBe(1);
  });

  it('is no session without the cookie, with an unknown member, a part without "=", or a malformed escape', () => {
    expect(stickyMember(undefined, 's', members)).toBe(-1);
    expect(stickyMember('', 's', members)).toBe(-1);
    expect(stickyMember('s=north', 's', members)).toBe(-1);
    expect(stickyMember('s; t=east', 's', members)).toBe(-1);
    expect(stickyMember('s=%E0%A4%A', 's', members)).toBe(-1);
    expect(stickyMember('x=east', 's', members)).toBe(-1);
  });

  it('writes the cookie the next request sends back', () => {
    expect(affinityCookie('s', 'we st')).toBe('s=we%20st; Path=/; HttpOnly');
    expect(stickyMember(affinityCookie('s', 'we st').split(';')[0], 's', members)).toBe(1);
  });
});
