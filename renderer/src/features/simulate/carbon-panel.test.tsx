import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { demoStatus } from '../../store/monitor/fake-monitor-api';
import { renderMonitor, settle } from '../monitor/test-harness';
import { SimulateScreen } from './simulate-screen';

/* The Simulate screen's carbon control (F-ROUTE-8): one labelled select per region the backends name. */
describe('Simulate screen: carbon emission by region', () => {
  it('is absent without regions, and switches a region through the gateway service when there are some', async () => {
    const h = renderMonitor(SimulateScreen);
    await settle();
    fireEvent.click(screen.getByTestId('run-start-simulated'));
    await settle();
    expect(screen.queryByTestId('carbon-panel')).toBeNull();

    h.api.setStatus({ ...demoStatus(), regions: { 'West Europe': ['aoai-eastus'], uksouth: ['aoai-uksouth'] }, carbonEmission: { westeurope: { emission: 'Low', source: 'workspace' } } });
    h.push((api) => api.push.event({ type: 'config', backend: null, ok: true, at: '2026-11-25T10:00:01.000Z', reason: 'reloaded' }));
    await settle();
    const eu = screen.getByRole('combobox', { name: 'Carbon emission of West Europe' }) as HTMLSelectElement;
    expect(eu.value).toBe('Low');
    expect((screen.getByRole('combobox', { name: 'Carbon emission of uksouth' }) as HTMLSelectElement).value).toBe('');

    fireEvent.change(eu, { target: { value: 'VeryHigh' } });
    await settle();
    expect(h.api.calls.at(-1)).toEqual({ method: 'gateway.setCarbonEmission', input: { region: 'West Europe', emission: 'VeryHigh' } });
    expect(eu.value).toBe('VeryHigh');
    fireEvent.click(screen.getByRole('button', { name: "Carbon emission of West Europe: back to the workspace's value" }));
    await settle();
    expect(h.api.calls.at(-1)).toEqual({ method: 'gateway.setCarbonEmission', input: { region: 'West Europe', emission: null } });
  });
});
