import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, DialogTrigger } from '@fluentui/react-components';
import { ArrowExportRegular } from '@fluentui/react-icons';
import { useMemo, useRef, useState } from 'react';
import type { Workspace } from '../../../../shared/model/schema';
import { validateWorkspace } from '../../../../shared/model/validate';
import { useAppStore } from '../../store/store-context';
import { ExportPanel } from './export-panel';

const baseName = (path: string) => path.split(/[\\/]/).pop() ?? path;

/**
 * DESIGN §6: "Export" on every editor screen, no sign-in: Bicep, ARM and policy of the workspace being edited (its
 * unsaved edits included), exactly what `breakerboard export <file>` prints. The dialog gives focus back to the
 * button when it closes.
 */
export function ExportButton() {
  const value = useAppStore((s) => s.workspace.value);
  const path = useAppStore((s) => s.workspace.doc?.path ?? null);
  const issues = useMemo(() => {
    const r = validateWorkspace(value ?? {});
    return { errors: r.errors, warnings: r.warnings };
  }, [value]);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  // Focus goes back to the button that opened the dialog (WCAG 2.4.3), whether it closes by Close, Escape or outside.
  const onOpenChange = (next: boolean) => {
    setOpen(next);
    if (!next) setTimeout(() => button.current?.focus(), 0);
  };
  if (!value) return null;
  return (
    <Dialog modalType="modal" open={open} onOpenChange={(_, d) => onOpenChange(d.open)}>
      <Button ref={button} icon={<ArrowExportRegular />} onClick={() => setOpen(true)} data-testid="export-open">
        Export
      </Button>
      <DialogSurface style={{ maxWidth: 'min(1000px, 96vw)' }} aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Export</DialogTitle>
          <DialogContent>
            <ExportPanel workspace={value as Workspace} issues={issues} source={path ? baseName(path) : undefined} />
          </DialogContent>
          <DialogActions>
            <DialogTrigger disableButtonEnhancement>
              <Button appearance="secondary" data-testid="export-close">
                Close
              </Button>
            </DialogTrigger>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
