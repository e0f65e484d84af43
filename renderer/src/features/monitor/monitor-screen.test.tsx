import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { snapshotAt } from '../../store/monitor/fake-monitor-api';
import { LiveAnnouncer } from './live-announcer';
import { MonitorScreen } from './monitor-screen';
import { renderMonitor, settle } from './test-harness';

const EAST = 'aoai-eastus';
const UK = 'aoai-uksouth';
const LATER = { timeout: 3000 };

async function started() {
  const h = renderMonitor(MonitorScreen);
  await settle();
  expect(screen.getByTestId('empty-monitor')).toBeTruthy();
  fireEvent.click(screen.getByTestId('run-start-simulated'));
  await settle();
  expect(h.api.calls).toContainEqual({ method: 'gateway.start', input: { simulate: true } });
  return h;
}

describe('Monitor screen (issue 8)', () => {
  it('starts the gateway, shows its URL and an openai SDK snippet, and a card per backend', async () => {
    await started();
    expect(screen.getByTestId('gateway-url').textContent).toBe('http://127.0.0.1:8080');
    fireEvent.click(screen.getByTestId('toggle-snippet'));
    expect(screen.getByTestId('sdk-snippet').textContent).toContain("endpoint: 'http://127.0.0.1:8080'");
    expect(screen.getByTestId(`breaker-state-${EAST}`).textContent).toBe('closed');
    expect(screen.getByTestId(`backend-card-${UK}`)).toBeTruthy();
    expect(screen.queryByTestId(`countdown-${EAST}`)).toBeNull();
  });

  it('a trip opens the card with a countdown and reason, marks the timeline, logs it; reset breaker calls the gateway', async () => {
    const { push, api } = await started();
    const now = Date.now();
    const t = Math.floor(now / 1000) * 1000;
    push((a) => {
      for (let i = 5; i > 0; i--) a.push.snapshot(snapshotAt(t - i * 1000, { [EAST]: [10, 10, 0, 'closed'], [UK]: [1, 1, 0, 'closed'] }));
      a.push.event({ type: 'trip', backend: EAST, openUntil: new Date(now + 3000).toISOString(), at: new Date(t - 500).toISOString(), reason: '429, Retry-After 3' });
      a.push.event({ type: 'failover', backend: EAST, to: UK, api: 'azure-openai', attempt: 2, at: new Date(t - 400).toISOString(), reason: '429' });
      a.push.snapshot(snapshotAt(t, { [EAST]: [1, 0, 1, 'open'], [UK]: [11, 11, 0, 'closed'] }));
    });
    expect(screen.getByTestId(`breaker-state-${EAST}`).textContent).toBe('open');
    expect(screen.getByTestId(`countdown-${EAST}`).textContent).toMatch(/^closes in [1-3] s$/);
    expect(screen.getByTestId(`backend-card-${EAST}`).textContent).toContain('429, Retry-After 3');
    expect(screen.getByTestId(`stat-${UK}-req-per-s`).textContent).toBe('3.0');
    // The charts, the timeline and the log follow the cards a moment later (staggered commits).
    await waitFor(() => expect(screen.getByTestId(`timeline-lane-${EAST}`).getAttribute('data-trips')).toBe('1'), LATER);
    expect(screen.getByTestId(`timeline-lane-${EAST}`).getAttribute('data-open-spans')).toBe('1');
    const log = screen.getByTestId('event-log');
    await waitFor(() => expect(within(log).getAllByTestId('log-row-trip')).toHaveLength(1), LATER);
    expect(within(log).getAllByTestId('log-row-failover')).toHaveLength(1);
    fireEvent.click(screen.getByTestId(`reset-${EAST}`));
    await settle();
    expect(api.calls).toContainEqual({ method: 'gateway.resetBreaker', input: { backend: EAST } });
    push((a) => a.push.event({ type: 'reset', backend: EAST, at: new Date().toISOString(), reason: 'manual' }));
    expect(screen.getByTestId(`breaker-state-${EAST}`).textContent).toBe('closed');
  });

  it('filters the log by type and exports the filtered events as JSON lines', async () => {
    const { push } = await started();
    const at = new Date().toISOString();
    push((a) => {
      a.push.event({ type: 'trip', backend: EAST, openUntil: at, at, reason: '429' });
      a.push.event({ type: 'failover', backend: EAST, to: UK, api: 'azure-openai', attempt: 2, at, reason: '429' });
      a.push.event({ type: 'config', backend: null, ok: true, at, reason: null });
    });
    fireEvent.click(screen.getByTestId('log-type-failover'));
    fireEvent.click(screen.getByTestId('log-type-config'));
    const log = screen.getByTestId('event-log');
    await waitFor(() => expect(within(log).getAllByTestId('log-row-trip')).toHaveLength(1), LATER);
    expect(within(log).queryAllByTestId('log-row-failover')).toHaveLength(0);
    let blob: Blob | undefined;
    const create = vi.fn((b: Blob) => ((blob = b), 'blob:x'));
    Object.assign(URL, { createObjectURL: create, revokeObjectURL: () => undefined });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    fireEvent.click(screen.getByTestId('log-export'));
    expect(create).toHaveBeenCalledOnce();
    const lines = (await blob!.text()).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([{ type: 'trip', backend: EAST, openUntil: at, at, reason: '429' }]);
  });

  it('switches the window, and shows observed shares next to configured weights', async () => {
    const { push, store } = await started();
    const t = Math.floor(Date.now() / 1000) * 1000;
    push((a) => {
      for (let i = 10; i > 0; i--) a.push.snapshot(snapshotAt(t - i * 1000, { [EAST]: [10, 10, 0, 'closed'], [UK]: [1, 1, 0, 'closed'] }));
    });
    await waitFor(() => expect(screen.getByTestId(`observed-${EAST}`).textContent).toBe('91 % seen'), LATER);
    expect(screen.getByTestId('pool-live-mybackendpool').textContent).toContain('91 % cfg');
    fireEvent.click(screen.getByTestId('window-5'));
    expect(store.getState().monitor.windowMinutes).toBe(5);
    await waitFor(() => expect(screen.getByTestId('chart-rps').getAttribute('data-rows')).toBe('10'), LATER);
  });

  it('headlines what clients got, apart from the backends: every call answered while one backend said 429; a same-backend retry reads "retry"', async () => {
    const { push } = await started();
    const t = Math.floor(Date.now() / 1000) * 1000;
    push((a) => {
      for (let i = 5; i > 0; i--) {
        a.push.snapshot({ ...snapshotAt(t - i * 1000, { [EAST]: [4, 2, 2, 'closed'], [UK]: [2, 2, 0, 'closed'] }), client: { requests: 4, byStatus: { '200': 4 }, retried: 2, saved: 2 } });
      }
      a.push.event({ type: 'failover', backend: UK, to: UK, api: 'azure-openai', attempt: 2, at: new Date(t - 1500).toISOString(), reason: '500' });
    });
    const headline = screen.getByTestId('client-headline');
    expect(within(headline).getByRole('heading', { name: 'What clients got' })).toBeTruthy();
    expect(screen.getByTestId('client-success').textContent).toBe('100 % answered 2xx');
    expect(screen.getByTestId('client-requests').textContent).toBe('20');
    expect(screen.getByTestId('client-errors').textContent).toBe('0');
    expect(screen.getByTestId('client-saved').textContent).toBe('10');
    // The backend's own answers still show its 429s.
    expect(screen.getByTestId(`stat-${EAST}-success`).textContent).toBe('50 %');
    const log = screen.getByTestId('event-log');
    await waitFor(() => expect(within(log).getByTestId('log-row-failover').getAttribute('data-label')).toBe('retry'), LATER);
    expect(within(log).getByTestId('log-row-failover').textContent).toContain(`again on ${UK}`);
  });

  it('announces trips, resets and a failed start in live regions; Start and Stop hand focus to each other', async () => {
    const h = renderMonitor(() => (
      <>
        <MonitorScreen />
        <LiveAnnouncer />
      </>
    ));
    await settle();
    const start = screen.getByTestId('run-start-simulated');
    start.focus();
    fireEvent.click(start);
    await settle();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('run-stop')));
    const t = Date.now();
    h.push((a) => a.push.event({ type: 'trip', backend: EAST, openUntil: new Date(t + 30_000).toISOString(), at: new Date(t).toISOString(), reason: '429, Retry-After 30' }));
    await waitFor(() => expect(screen.getByTestId('live-breakers').textContent).toBe(`${EAST} breaker open: 429, Retry-After 30`));
    expect(screen.getByTestId('live-breakers').getAttribute('aria-live')).toBe('polite');
    h.push((a) => a.push.event({ type: 'reset', backend: EAST, at: new Date(t + 1000).toISOString(), reason: 'manual' }));
    await waitFor(() => expect(screen.getByTestId('live-breakers').textContent).toBe(`${EAST} breaker closed by hand`));
    fireEvent.click(screen.getByTestId('run-stop'));
    await settle();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('run-start-simulated')));
    (h.api.gateway as unknown as { start: () => Promise<never> }).start = async () => {
      throw new Error('the gateway did not start: port in use');
    };
    fireEvent.click(screen.getByTestId('run-start-simulated'));
    await settle();
    expect(screen.getByTestId('live-errors').textContent).toBe('the gateway did not start: port in use');
    expect(screen.getByTestId('live-errors').getAttribute('role')).toBe('alert');
  });
});
