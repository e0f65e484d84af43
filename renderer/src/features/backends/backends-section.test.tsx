import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderScreen, twoBackendWorkspace } from '../validation/test-harness';
import type { ScreenProps } from '../validation';
import { BackendsSection } from './backends-section';

describe('backends section', () => {
  it('adds a backend and edits it, with inline URL validation', () => {
    const { harness } = renderScreen(BackendsSection, twoBackendWorkspace());
    fireEvent.change(screen.getByTestId('add-backend-id'), { target: { value: 'north' } });
    fireEvent.change(screen.getByTestId('add-backend-url'), { target: { value: 'https://north.example.com/openai' } });
    fireEvent.click(screen.getByTestId('add-backend-submit'));
    expect(screen.getByTestId('backend-editor-north')).toBeTruthy();
    fireEvent.change(screen.getByTestId('backend-url'), { target: { value: 'not a url' } });
    expect(screen.getByTestId('field-error-backends.north.url').textContent).toMatch(/absolute http\(s\) URL/);
    fireEvent.change(screen.getByTestId('backend-title'), { target: { value: 'North' } });
    expect(harness.current().backends.north).toEqual({ url: 'not a url', title: 'North' });
  });

  it('refuses a taken id while typing', () => {
    renderScreen(BackendsSection, twoBackendWorkspace());
    fireEvent.change(screen.getByTestId('add-backend-id'), { target: { value: 'pool' } });
    expect(screen.getByText(/already a backend or pool id/)).toBeTruthy();
    expect((screen.getByTestId('add-backend-submit') as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows what uses a backend before removing it, and removes it from its pools on confirmation', () => {
    const { harness } = renderScreen(BackendsSection, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('backend-item-west'));
    expect(screen.getByTestId('backend-uses-west').textContent).toContain('Used by pool pool.');
    fireEvent.click(screen.getByTestId('remove-backend-west'));
    expect(harness.current().backends.west).toBeDefined();
    fireEvent.click(screen.getByTestId('remove-backend-from-pools'));
    expect(harness.current().backends.west).toBeUndefined();
    expect(harness.current().pools!.pool!.services.map((m) => m.backend)).toEqual(['east']);
  });

  it('refuses removal while an api points straight at the backend', () => {
    const ws = twoBackendWorkspace();
    ws.apis!.direct = { path: 'direct', backend: 'west' };
    renderScreen(BackendsSection, ws);
    fireEvent.click(screen.getByTestId('backend-item-west'));
    fireEvent.click(screen.getByTestId('remove-backend-west'));
    expect(screen.getByTestId('remove-backend-confirm').textContent).toContain('api direct points straight at "west"');
    expect(screen.queryByTestId('remove-backend-from-pools')).toBeNull();
  });

  it('renames a backend everywhere on commit', () => {
    const { harness } = renderScreen(BackendsSection, twoBackendWorkspace());
    const id = screen.getByTestId('backend-id');
    fireEvent.change(id, { target: { value: 'eastus' } });
    fireEvent.blur(id);
    expect(Object.keys(harness.current().backends)).toEqual(['eastus', 'west']);
    expect(harness.current().pools!.pool!.services[0]!.backend).toBe('eastus');
  });

  it('passes an api-key value once to onSetSecret and never shows it again', async () => {
    const onSetSecret = vi.fn();
    const Screen = (p: ScreenProps) => <BackendsSection {...p} onSetSecret={onSetSecret} secretSources={{ 'east-key': 'missing' }} />;
    const { harness } = renderScreen(Screen, twoBackendWorkspace());
    expect(screen.getByTestId('secret-source-east-key').textContent).toBe('not set');
    const input = screen.getByTestId('secret-value-east-key') as HTMLInputElement;
    expect(input.type).toBe('password');
    fireEvent.change(input, { target: { value: 's3cret' } });
    fireEvent.click(screen.getByTestId('secret-save-east-key'));
    expect(onSetSecret).toHaveBeenCalledWith('east-key', 's3cret');
    expect(input.value).toBe('');
    await waitFor(() => expect(screen.getByText('Key stored. It will not be shown again.')).toBeTruthy());
    expect(JSON.stringify(harness.current())).not.toContain('s3cret');
  });

  it('switches auth type; api-key proposes a secret name', () => {
    const { harness } = renderScreen(BackendsSection, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('backend-item-west'));
    fireEvent.click(screen.getByTestId('auth-api-key'));
    expect(harness.current().backends.west!.auth).toEqual({ type: 'api-key', secret: 'west-key' });
    fireEvent.click(screen.getByTestId('auth-none'));
    expect(harness.current().backends.west!.auth).toBeUndefined();
  });
});
