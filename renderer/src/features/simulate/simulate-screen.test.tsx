import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DrillReportView } from '../../../../shared/contract/load';
import { renderMonitor, settle } from '../monitor/test-harness';
import { StoreProvider } from '../../store/store-context';
import type { AppStore } from '../../store/types';
import { SimulateScreen } from './simulate-screen';

const EAST = 'aoai-eastus';

async function startedSimulated() {
  const h = renderMonitor(SimulateScreen);
  await settle();
  expect(screen.getByTestId('fault-panel').textContent).toMatch(/Start the gateway with simulated backends/);
  fireEvent.click(screen.getByTestId('run-start-simulated'));
  await settle();
  return h;
}

const report = (pass: boolean): DrillReportView => ({
  speed: 10,
  durationMs: 90_000,
  realDurationMs: 9000,
  requests: 1800,
  clientErrors: pass ? 0 : 3,
  statusCounts: { '200': 1800 },
  servedBy: { 'aoai-eastus': 600, 'aoai-uksouth': 1200 },
  retried: 12,
  failovers: 12,
  latencyMs: { count: 1800, p50: 450, p90: 900, p99: 1500, max: 2000, mean: 500 },
  events: [{ type: 'trip', backend: EAST, atMs: 10_200, reason: '429' }],
  timeToTrip: [{ backend: EAST, faultAtMs: 10_000, tripAtMs: 10_200, ms: 200 }],
  shares: [],
  expectations: [
    { name: 'clientErrors', expected: 'at most 0', actual: pass ? '0' : '3', pass },
    { name: 'tripped aoai-eastus', expected: 'at least one trip', actual: '1 trip', pass: true },
  ],
  pass,
  interrupted: false,
});

describe('Simulate screen (issue 8)', () => {
  it('switches each fault type with its parameter, and clears it', async () => {
    const { api } = await startedSimulated();
    fireEvent.change(screen.getByTestId(`fault-${EAST}-retry-after`), { target: { value: '3' } });
    fireEvent.click(screen.getByTestId(`fault-${EAST}-throttle`));
    await settle();
    expect(api.calls.at(-1)).toEqual({ method: 'simulator.setFault', input: { backend: EAST, fault: { type: 'throttle', retryAfter: 3 } } });
    expect(screen.getByTestId(`fault-state-${EAST}`).textContent).toBe('throttle · Retry-After 3 s');
    fireEvent.change(screen.getByTestId(`fault-${EAST}-rate`), { target: { value: '25' } });
    fireEvent.click(screen.getByTestId(`fault-${EAST}-errors`));
    await settle();
    expect(api.calls.at(-1)?.input).toEqual({ backend: EAST, fault: { type: 'errors', rate: 0.25 } });
    fireEvent.click(screen.getByTestId(`fault-${EAST}-slow`));
    await settle();
    expect(api.calls.at(-1)?.input).toEqual({ backend: EAST, fault: { type: 'slow', factor: 10 } });
    for (const type of ['outage', 'hang', 'reset'] as const) {
      fireEvent.click(screen.getByTestId(`fault-${EAST}-${type}`));
      await settle();
      expect(api.calls.at(-1)?.input).toEqual({ backend: EAST, fault: { type } });
    }
    fireEvent.click(screen.getByTestId(`fault-${EAST}-clear`));
    await settle();
    expect(api.calls.at(-1)).toEqual({ method: 'simulator.clearFault', input: { backend: EAST } });
    expect(screen.getByTestId(`fault-state-${EAST}`).textContent).toBe('healthy');
  });

  it('runs load with rate, duration and streaming, shows progress, then the report', async () => {
    const { api, push } = await startedSimulated();
    fireEvent.change(screen.getByTestId('load-rps'), { target: { value: '30' } });
    fireEvent.change(screen.getByTestId('load-duration'), { target: { value: '10' } });
    fireEvent.click(screen.getByTestId('load-stream'));
    fireEvent.click(screen.getByTestId('load-start'));
    await settle();
    expect(api.calls.at(-1)).toEqual({ method: 'load.start', input: { rps: 30, durationSeconds: 10, stream: true } });
    push((a) => a.push.progress({ id: 1, kind: 'load', elapsedMs: 5000, totalMs: 10_000, sent: 150, completed: 148, ok: 148, failed: 0, inFlight: 2 }));
    expect(screen.getByTestId('load-progress').textContent).toContain('150 sent');
    push((a) =>
      a.push.done({
        id: 1,
        kind: 'load',
        load: { sent: 300, completed: 300, ok: 300, failed: 0, elapsedMs: 10_000, achievedRps: 30, statusCounts: { '200': 300 }, servedBy: { [EAST]: 280 }, errors: {}, retried: 2, latencyMs: { count: 300, p50: 400, p90: 800, p99: 1400, max: 1500, mean: 450 }, interrupted: false },
      }),
    );
    expect(screen.getByTestId('load-report').textContent).toContain('300 / 0');
    expect(screen.getByTestId('load-start')).toBeTruthy();
  });

  it('runs a drill from its text at a speed and shows pass/fail per expectation', async () => {
    const { api, push } = await startedSimulated();
    fireEvent.click(screen.getByTestId('drill-run'));
    await settle();
    const call = api.calls.at(-1)!;
    expect(call.method).toBe('load.runDrill');
    expect(call.input).toMatchObject({ speed: 10, text: expect.stringContaining('tripped: [aoai-eastus]') });
    push((a) => a.push.done({ id: 1, kind: 'drill', drill: report(false) }));
    expect(screen.getByTestId('drill-verdict').textContent).toBe('FAIL');
    expect(screen.getByTestId('expectation-clientErrors').getAttribute('data-pass')).toBe('false');
    expect(screen.getByTestId('expectation-tripped-aoai-eastus').textContent).toContain('pass');
    fireEvent.click(screen.getByTestId('drill-live'));
    fireEvent.click(screen.getByTestId('drill-run'));
    await settle();
    expect(api.calls.at(-1)?.input).toMatchObject({ live: true });
    push((a) => a.push.done({ id: 2, kind: 'drill', error: { message: 'drill: load.rps: must be greater than zero', path: 'load.rps' } }));
    expect(screen.getByTestId('drill-error').textContent).toContain('load.rps');
  });

  it('keeps what was typed (rate, duration, drill text, a fault parameter) when the screen is left and opened again', async () => {
    const h = await startedSimulated();
    fireEvent.change(screen.getByTestId('load-rps'), { target: { value: '35' } });
    fireEvent.change(screen.getByTestId('load-duration'), { target: { value: '120' } });
    const drill = screen.getByTestId('drill-text') as HTMLTextAreaElement;
    fireEvent.change(drill, { target: { value: `${drill.value}\n# my edit` } });
    const retryAfter = screen.getByTestId(`fault-${EAST}-retry-after`) as HTMLInputElement;
    fireEvent.change(retryAfter, { target: { value: '7' } });
    h.unmount();
    render(
      <FluentProvider theme={webLightTheme}>
        <StoreProvider store={h.store as unknown as AppStore}>
          <SimulateScreen />
        </StoreProvider>
      </FluentProvider>,
    );
    await settle();
    expect((screen.getByTestId('load-rps') as HTMLInputElement).value).toBe('35');
    expect((screen.getByTestId('load-duration') as HTMLInputElement).value).toBe('120');
    expect((screen.getByTestId('drill-text') as HTMLTextAreaElement).value).toMatch(/# my edit$/);
    expect((screen.getByTestId(`fault-${EAST}-retry-after`) as HTMLInputElement).value).toBe('7');
    fireEvent.click(screen.getByTestId(`fault-${EAST}-throttle`));
    await settle();
    expect(h.api.calls).toContainEqual({ method: 'simulator.setFault', input: { backend: EAST, fault: { type: 'throttle', retryAfter: 7 } } });
  });

  it('a load already running when the screen opens (another tab started it) shows its progress, not "starting…"', async () => {
    const h = renderMonitor(SimulateScreen);
    h.api.setCurrent({ job: { id: 7, kind: 'load', startedAt: new Date().toISOString(), totalMs: 60_000 }, progress: { id: 7, kind: 'load', elapsedMs: 12_000, totalMs: 60_000, sent: 240, completed: 238, ok: 238, failed: 0, inFlight: 2 } });
    await settle();
    fireEvent.click(screen.getByTestId('run-start-simulated'));
    await settle();
    expect(screen.getByTestId('load-progress').textContent).toContain('12 / 60 s · 240 sent');
    expect(screen.getByTestId('load-cancel')).toBeTruthy();
  });
});
