import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { validateWorkspace } from '../../../../shared/model/validate';
import type { Workspace } from '../../../../shared/model/schema';
import { twoBackendWorkspace } from '../validation/test-harness';
import { ExportPanel, type ExportPanelProps } from './export-panel';

function renderPanel(ws: Workspace, extra: Partial<ExportPanelProps> = {}) {
  const r = validateWorkspace(ws);
  return render(
    <FluentProvider theme={webLightTheme}>
      <ExportPanel workspace={ws} issues={{ errors: r.errors, warnings: r.warnings }} {...extra} />
    </FluentProvider>,
  );
}

describe('export panel', () => {
  it('previews Bicep, ARM and the policy from shared/export', () => {
    renderPanel(twoBackendWorkspace());
    expect(screen.getByTestId('export-preview').textContent).toContain("resource ");
    expect(screen.getByTestId('export-preview').textContent).toContain("Microsoft.ApiManagement/service/backends@");
    fireEvent.click(screen.getByTestId('export-tab-arm'));
    expect(JSON.parse(screen.getByTestId('export-preview').textContent!)).toHaveProperty('resources');
    fireEvent.click(screen.getByTestId('export-tab-policy'));
    expect(screen.getByTestId('export-preview').textContent).toContain('set-backend-service');
    expect(screen.getByTestId('export-preview').textContent).toContain('<retry');
  });

  it('copies to the clipboard and saves through the callback', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const onSaveAs = vi.fn();
    renderPanel(twoBackendWorkspace(), { onSaveAs });
    fireEvent.click(screen.getByTestId('export-copy'));
    await waitFor(() => expect(screen.getByTestId('export-status').textContent).toBe('Bicep copied to the clipboard.'));
    expect(writeText.mock.calls[0]![0]).toContain('param apimName string');
    fireEvent.click(screen.getByTestId('export-tab-policy'));
    fireEvent.click(screen.getByTestId('export-save'));
    await waitFor(() => expect(onSaveAs).toHaveBeenCalled());
    expect(onSaveAs.mock.calls[0]![0]).toMatchObject({ format: 'policy', fileName: 'chat.policy.xml' });
  });

  it('refuses to export an invalid workspace and lists the errors', () => {
    const ws = twoBackendWorkspace();
    ws.pools!.pool!.services[0]!.weight = 150;
    renderPanel(ws);
    expect(screen.getByTestId('export-blocked').textContent).toContain('pools.pool.services[0].weight: must be between 0 and 100');
    expect(screen.queryByTestId('export-preview')).toBeNull();
  });
});

describe('export panel without a save callback', () => {
  it('downloads the file instead', () => {
    const createObjectURL = vi.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL, revokeObjectURL: vi.fn() });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderPanel(twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('export-tab-arm'));
    fireEvent.click(screen.getByTestId('export-save'));
    expect(createObjectURL).toHaveBeenCalled();
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('breakerboard.arm.json');
    click.mockRestore();
  });
});
