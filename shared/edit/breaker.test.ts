import { describe, expect, it } from 'vitest';
import { validateWorkspace } from '../model/validate';
import {
  addErrorReason,
  addStatusRange,
  applyBreakerPreset,
  applyStatusPreset,
  removeErrorReason,
  removeStatusRange,
  ruleOf,
  setBreakerRule,
  setThreshold,
  thresholdOf,
  updateBreakerRule,
} from './breaker';
import { BREAKER_PRESETS, matchStatusPreset } from './presets';
import { frozenSample } from './test-fixtures';

describe('breaker edits', () => {
  it('applies the Azure OpenAI PTU preset: 429 only, count 1, PT1M, acceptRetryAfter; keeps the rule name', () => {
    const ws = frozenSample();
    const r = applyBreakerPreset(ws, 'east', 'aoai-ptu');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const rule = ruleOf(r.workspace, 'east')!;
    expect(rule).toEqual({
      name: 'r',
      failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }], errorReasons: ['Server errors'] },
      tripDuration: 'PT1M',
      acceptRetryAfter: true,
    });
    // The preset constant must not be shared into the workspace (a later edit would change the preset).
    expect(rule.failureCondition.statusCodeRanges).not.toBe(BREAKER_PRESETS[0]!.rule.failureCondition.statusCodeRanges);
    expect(validateWorkspace(r.workspace).ok).toBe(true);
    expect(ruleOf(ws, 'east')!.failureCondition.count).toBe(3);
  });

  it('applies the pay-as-you-go preset to a backend without a breaker; refuses unknown presets and backends', () => {
    const ws = frozenSample();
    const r = applyBreakerPreset(ws, 'west', 'payg-5xx');
    expect(r.ok && ruleOf(r.workspace, 'west')).toMatchObject({ name: 'breakerRule', failureCondition: { count: 3, statusCodeRanges: [{ min: 500, max: 599 }] } });
    expect(applyBreakerPreset(ws, 'west', 'nope')).toEqual({ ok: false, message: 'unknown breaker preset "nope"' });
    expect(applyBreakerPreset(ws, 'ghost', 'payg-5xx')).toMatchObject({ ok: false });
  });

  it('switches count ↔ percentage keeping exactly one of them', () => {
    const ws = frozenSample();
    const pct = setThreshold(ws, 'east', 'percentage');
    expect(pct.backends.east!.circuitBreaker!.rules[0]!.failureCondition).toEqual({ percentage: 50, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] });
    expect(thresholdOf(ruleOf(pct, 'east')!)).toEqual({ kind: 'percentage', value: 50 });
    const back = setThreshold(pct, 'east', 'count');
    expect(ruleOf(back, 'east')!.failureCondition).toMatchObject({ count: 3 });
    expect('percentage' in ruleOf(back, 'east')!.failureCondition).toBe(false);
    expect(setThreshold(ws, 'east', 'count', 3)).toBe(ws);
    expect(ruleOf(setThreshold(ws, 'east', 'count', 7), 'east')!.failureCondition.count).toBe(7);
    expect(setThreshold(ws, 'west', 'count', 7)).toBe(ws); // no rule, nothing to change
  });

  it('updates fields and removes optional ones given as undefined', () => {
    const ws = frozenSample();
    const next = updateBreakerRule(ws, 'east', { interval: 'PT30S', tripDuration: 'PT2M', acceptRetryAfter: true });
    expect(ruleOf(next, 'east')).toMatchObject({ tripDuration: 'PT2M', acceptRetryAfter: true, failureCondition: { interval: 'PT30S', count: 3 } });
    expect('acceptRetryAfter' in ruleOf(updateBreakerRule(next, 'east', { acceptRetryAfter: undefined }), 'east')!).toBe(false);
    // A typo is stored so that validation reports it at the field, with the month hint.
    const typo = updateBreakerRule(ws, 'east', { interval: 'P1M' });
    expect(validateWorkspace(typo).errors[0]).toMatchObject({ path: 'backends.east.circuitBreaker.rules[0].failureCondition.interval' });
  });

  it('edits status ranges as chips and by preset', () => {
    const ws = frozenSample();
    const added = addStatusRange(ws, 'east', { min: 429, max: 429 });
    expect(ruleOf(added, 'east')!.failureCondition.statusCodeRanges).toEqual([{ min: 429, max: 429 }, { min: 500, max: 599 }]);
    expect(matchStatusPreset(ruleOf(added, 'east')!.failureCondition.statusCodeRanges)).toBe('429-5xx');
    expect(addStatusRange(added, 'east', { min: 429, max: 429 })).toBe(added);
    const removed = removeStatusRange(added, 'east', 0);
    expect(ruleOf(removed, 'east')!.failureCondition.statusCodeRanges).toEqual([{ min: 500, max: 599 }]);
    expect('statusCodeRanges' in ruleOf(removeStatusRange(removed, 'east', 0), 'east')!.failureCondition).toBe(false);
    const wide = applyStatusPreset(ws, 'east', '400-599');
    expect(validateWorkspace(wide).warnings.map((w) => w.path)).toContain('backends.east.circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]');
  });

  it('adds and removes error reasons, trimming and without duplicates', () => {
    const ws = frozenSample();
    const one = addErrorReason(ws, 'east', '  timeout ');
    expect(ruleOf(one, 'east')!.failureCondition.errorReasons).toEqual(['timeout']);
    expect(addErrorReason(one, 'east', 'timeout')).toBe(one);
    expect(addErrorReason(one, 'east', '  ')).toBe(one);
    expect('errorReasons' in ruleOf(removeErrorReason(one, 'east', 'timeout'), 'east')!.failureCondition).toBe(false);
  });

  it('removes the breaker entirely', () => {
    const ws = frozenSample();
    const next = setBreakerRule(ws, 'east', undefined);
    expect('circuitBreaker' in next.backends.east!).toBe(false);
    expect(setBreakerRule(next, 'east', undefined)).toBe(next);
  });
});
