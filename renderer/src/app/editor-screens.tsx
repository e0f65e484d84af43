import { useCallback, useEffect, useMemo } from 'react';
import type { Workspace } from '../../../shared/model/schema';
import { validateWorkspace } from '../../../shared/model/validate';
import { BreakersScreen } from '../features/breaker-editor';
import { DocumentRegular } from '@fluentui/react-icons';
import { EmptyState } from '../features/empty-state';
import { ExportButton } from '../features/export-panel';
import { PoolsScreen } from '../features/pool-editor';
import { ScreenLayout } from '../features/screen-layout';
import type { EditFn, ScreenProps } from '../features/validation';
import { useAppStore } from '../store/store-context';
import type { WorkspaceValue } from '../store/workspace/slice';
import { selectWorkspaceValue } from '../store/workspace/selectors';

/*
 * Mounts the editor screens (pool, backend, API and breaker editors) on the store: the workspace value, edits as
 * undoable store steps, and validation computed here so errors show at their field on the keystroke that made
 * them (the main side's validation arrives a moment later with the saved document).
 */
function useScreenProps(): ScreenProps | null {
  const value = useAppStore(selectWorkspaceValue) as Workspace | null;
  const edit = useAppStore((s) => s.editWorkspace);
  const issues = useMemo(() => {
    const r = validateWorkspace(value ?? {});
    return { errors: r.errors, warnings: r.warnings };
  }, [value]);
  const onEdit: EditFn = useCallback((fn, opts) => edit((draft) => fn(draft as Workspace) as unknown as WorkspaceValue, opts), [edit]);
  return value ? { workspace: value, onEdit, issues } : null;
}

const noWorkspace = (
  <EmptyState Icon={DocumentRegular} title="No workspace open">
    Open a workspace file or start from the demo.
  </EmptyState>
);

export function PoolsEditorScreen() {
  const props = useScreenProps();
  const secretSources = useAppStore((s) => s.secretSources);
  const onSetSecret = useAppStore((s) => s.setSecret);
  const followSecrets = useAppStore((s) => s.followSecrets);
  useEffect(() => followSecrets(), [followSecrets]);
  return (
    <ScreenLayout id="pools" title="Pools" actions={<ExportButton />} lead="Backends grouped into APIM backend pools: priority lanes (highest first), weights inside a lane, and the share of traffic each backend gets.">
      {props ? <PoolsScreen {...props} onSetSecret={onSetSecret} secretSources={secretSources} /> : noWorkspace}
    </ScreenLayout>
  );
}

export function BreakersEditorScreen() {
  const props = useScreenProps();
  return (
    <ScreenLayout id="breakers" title="Circuit breakers" actions={<ExportButton />} lead="When a backend answers 429 or 5xx too often, its breaker takes it out of the pool for a while.">
      {props ? <BreakersScreen {...props} /> : noWorkspace}
    </ScreenLayout>
  );
}
