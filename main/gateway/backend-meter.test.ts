import { describe, expect, it } from 'vitest';
import { BackendMeter, WINDOW_SECONDS } from './backend-meter';

describe('BackendMeter: 1-second buckets over a 15-minute window', () => {
  it('a bucket holds its second; the window sums buckets until they slide out', () => {
    const m = new BackendMeter();
    m.status(200, false);
    m.status(429, true);
    m.latencyMs(12);
    m.latencyMs(30);
    m.tokens(10, 4);
    const b = m.fold(0);
    expect(b).toMatchObject({ requests: 2, failures: 1, byStatus: { '200': 1, '429': 1 }, failuresByReason: { status: 1 }, tokens: { prompt: 10, completion: 4 } });
    expect(b.latencyMs.p50).toBeCloseTo(12, 0);
    m.failure('timeout');
    m.fold(1);
    expect(m.windowView()).toMatchObject({ requests: 3, failures: 2, byStatus: { '200': 1, '429': 1 }, failuresByReason: { status: 1, timeout: 1 } });
    for (let s = 2; s < WINDOW_SECONDS; s++) expect(m.fold(s).requests).toBe(0);
    expect(m.windowView().requests).toBe(3);
    m.fold(WINDOW_SECONDS); // second 0 slides out
    expect(m.windowView()).toMatchObject({ requests: 1, failures: 1, byStatus: {}, failuresByReason: { timeout: 1 }, tokens: { prompt: 0, completion: 0 } });
    expect(m.latency.summary().p50).toBeNull();
    m.fold(WINDOW_SECONDS + 1);
    expect(m.windowView()).toMatchObject({ requests: 0, failures: 0 });
    // totals since start (for /metrics) are not windowed
    expect(m.total.requests).toBe(3);
    expect(m.promCount).toBe(2);
  });
  it('a client abort is recorded but is not a backend failure', () => {
    const m = new BackendMeter();
    m.failure('client-abort', true);
    expect(m.fold(0)).toMatchObject({ requests: 0, failures: 0, failuresByReason: { 'client-abort': 1 } });
  });
});
