import { describe, expect, it } from 'vitest';
import { workspaceWith, type Plain } from '../../test/support/workspace-arbitrary';
import { validateWorkspace } from './validate';
import { rangeCatchesClientErrors } from './warnings';

/* APIM-SEMANTICS B11: each warning with a workspace that triggers it and one that does not; never blocking. */

const fc = 'backends.b1.circuitBreaker.rules[0].failureCondition';

function warningsOf(ws: Plain) {
  const r = validateWorkspace(ws);
  expect(r.ok, JSON.stringify(r.errors)).toBe(true);
  return r.warnings;
}

interface WarningCase {
  warning: string;
  warns: Record<string, unknown>;
  quiet: Record<string, unknown>;
  path: string;
  message: RegExp;
}

const cases: WarningCase[] = [
  {
    warning: 'a status range that takes in client errors other than 429',
    warns: { [`${fc}.statusCodeRanges`]: [{ min: 400, max: 599 }] },
    quiet: { [`${fc}.statusCodeRanges`]: [{ min: 429, max: 429 }, { min: 500, max: 599 }] },
    path: `${fc}.statusCodeRanges[0]`,
    message: /^400-599 counts client errors other than 429 as failures/,
  },
  {
    warning: 'acceptRetryAfter false while 429 counts as failure',
    warns: { 'backends.b1.circuitBreaker.rules[0].acceptRetryAfter': false },
    quiet: { 'backends.b1.circuitBreaker.rules[0].acceptRetryAfter': false, [`${fc}.statusCodeRanges`]: [{ min: 500, max: 599 }] },
    path: 'backends.b1.circuitBreaker.rules[0].acceptRetryAfter',
    message: /429 counts as a failure but Retry-After is ignored/,
  },
  {
    warning: 'acceptRetryAfter left out while 429 counts as failure',
    warns: { 'backends.b1.circuitBreaker.rules[0].acceptRetryAfter': undefined },
    quiet: { 'backends.b1.circuitBreaker.rules[0].acceptRetryAfter': true },
    path: 'backends.b1.circuitBreaker.rules[0].acceptRetryAfter',
    message: /set acceptRetryAfter: true/,
  },
  {
    warning: 'a retry count above pool size - 1',
    warns: { 'apis.a1.retry.count': 2 },
    quiet: { 'apis.a1.retry.count': 1 },
    path: 'apis.a1.retry.count',
    message: /^2 retries on a pool of 2: more than 1 \(pool size - 1\)/,
  },
  {
    warning: 'a retry on a single backend',
    warns: { 'apis.a1.backend': 'b1', 'apis.a1.retry.count': 1 },
    quiet: { 'apis.a1.backend': 'b1', 'apis.a1.retry.count': 0 },
    path: 'apis.a1.retry.count',
    message: /1 retries on a single backend/,
  },
  {
    warning: 'a pool mixing members with and without priority',
    warns: { 'pools.p1.services[1].priority': undefined },
    quiet: { 'pools.p1.services[0].priority': undefined, 'pools.p1.services[1].priority': undefined },
    path: 'pools.p1.services',
    message: /some members have a priority and some do not/,
  },
  {
    warning: 'a breaker on a backend that no pool or api uses',
    warns: { 'backends.b3': { url: 'https://b3.example.com', circuitBreaker: { rules: [{ name: 'r', failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] }, tripDuration: 'PT1M' }] } } },
    quiet: { 'backends.b3': { url: 'https://b3.example.com' } },
    path: 'backends.b3.circuitBreaker',
    message: /has a breaker but no pool or api uses it/,
  },
  {
    warning: 'a carbon preference on a member without azureRegion',
    warns: { 'pools.p1.services[0].preferredCarbonEmission': 'Low' },
    quiet: { 'pools.p1.services[0].preferredCarbonEmission': 'Low', 'backends.b1.azureRegion': 'eastus' },
    path: 'pools.p1.services[0].preferredCarbonEmission',
    message: /has no azureRegion/,
  },
];

describe('warnings (APIM-SEMANTICS B11)', () => {
  for (const c of cases) {
    describe(c.warning, () => {
      it('warns without failing', () => {
        const warnings = warningsOf(workspaceWith(c.warns));
        expect(warnings).toHaveLength(1);
        expect(warnings[0]!.path).toBe(c.path);
        expect(warnings[0]!.message).toMatch(c.message);
      });
      it('stays quiet when the case does not apply', () => {
        expect(warningsOf(workspaceWith(c.quiet))).toEqual([]);
      });
    });
  }

  it('a breaker on a backend an api uses directly is not "unused"', () => {
    const ws = workspaceWith({
      'backends.b3': { url: 'https://b3.example.com', circuitBreaker: { rules: [{ name: 'r', failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] }, tripDuration: 'PT1M' }] } },
      'apis.a2': { path: 'direct', backend: 'b3' },
    });
    expect(warningsOf(ws)).toEqual([]);
  });

  it('F-CB-5: a tripDuration shorter than the interval is not warned about (the window empties at a trip)', () => {
    expect(warningsOf(workspaceWith({ 'backends.b1.circuitBreaker.rules[0].tripDuration': 'PT30S' }))).toEqual([]);
  });

  it('knows exactly which ranges take in client errors other than 429', () => {
    const catches = (min: number, max: number) => rangeCatchesClientErrors({ min, max });
    expect([catches(400, 428), catches(430, 499), catches(428, 428), catches(430, 430), catches(200, 599)]).toEqual([true, true, true, true, true]);
    expect([catches(429, 429), catches(500, 599), catches(200, 399), catches(429, 429)]).toEqual([false, false, false, false]);
  });
});
