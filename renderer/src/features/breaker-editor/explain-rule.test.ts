import { describe, expect, it } from 'vitest';
import type { BreakerRule } from '../../../../shared/model/schema';
import { explainRule } from './explain-rule';

const rule = (over: Partial<BreakerRule['failureCondition']>, top: Partial<BreakerRule> = {}): BreakerRule => ({
  name: 'r',
  failureCondition: { count: 3, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }], ...over },
  tripDuration: 'PT1M',
  acceptRetryAfter: true,
  ...top,
});

describe('rule explainer', () => {
  it('states a count rule in words, as the issue phrases it', () => {
    expect(explainRule(rule({})).sentence).toBe('3 failures within 1 min → open for 1 min, or as long as Retry-After says');
  });

  it('uses the singular, a percentage, and leaves out Retry-After when not accepted', () => {
    expect(explainRule(rule({ count: 1 }, { acceptRetryAfter: false, tripDuration: 'PT30S' })).sentence).toBe('1 failure within 1 min → open for 30 s');
    expect(explainRule(rule({ count: undefined, percentage: 50, interval: 'PT5M' })).sentence).toBe(
      '50 % of responses failing within 5 min (with at least one failure) → open for 1 min, or as long as Retry-After says',
    );
  });

  it('says what counts as a failure, including no response at all (B4)', () => {
    expect(explainRule(rule({ statusCodeRanges: [{ min: 429, max: 429 }, { min: 500, max: 599 }] })).failures).toBe(
      'A failure is a response with status 429 or 500–599, or no response at all (timeout, connection failure).',
    );
    expect(explainRule(rule({ statusCodeRanges: undefined })).failures).toMatch(/^No status codes are counted/);
  });

  it('names the fidelity rows that decide the rule, and agrees with the engine on the window (F-CB-5)', () => {
    const count = explainRule(rule({}));
    expect(count.rows.map((r) => r.id)).toEqual(['F-CB-1', 'F-CB-6', 'F-CB-3', 'F-CB-4', 'F-CB-5']);
    expect(count.rows[0]).toEqual({ id: 'F-CB-1', title: 'count: trips at N failures inside the sliding interval', href: 'docs/apim-fidelity.md#f-cb-1' });
    expect(count.after).toMatch(/window empties at the trip/);
    const pct = explainRule(rule({ count: undefined, percentage: 20 }, { acceptRetryAfter: false, failureResponse: { statusCode: 429 } }));
    expect(pct.rows.map((r) => r.id)).toEqual(['F-CB-2', 'F-CB-6', 'F-CB-3', 'F-CB-5', 'F-CB-7']);
    expect(pct.after).toMatch(/^While open, requests go to the pool's other members \(429 from this backend when an API calls it directly/);
  });

  it('shows an invalid duration as written', () => {
    expect(explainRule(rule({ interval: 'P1M' })).sentence).toContain('within P1M');
  });
});
