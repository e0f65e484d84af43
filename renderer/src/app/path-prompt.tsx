import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, MessageBar, MessageBarBody } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { PathPrompt as Prompt } from '../store/session/slice';
import { selectInfo, selectPathPrompt } from '../store/session/selectors';
import { useAppStore, useAppStoreApi } from '../store/store-context';
import { useReturnFocusOnUnmount } from './focus-return';
import { selectWorkspacePath } from '../store/workspace/selectors';

/**
 * Where the browser has no native file dialog (serve mode), the user types the path on the machine that runs
 * `serve`. Saving over an existing file asks once more.
 */
export function PathPrompt() {
  const prompt = useAppStore(selectPathPrompt);
  // Keyed by mode: each opening starts from its own suggestion, while an "exists" answer keeps what was typed.
  return prompt ? <PathPromptDialog key={prompt.mode} prompt={prompt} /> : null;
}

function PathPromptDialog({ prompt }: { prompt: Prompt }) {
  const info = useAppStore(selectInfo);
  const currentPath = useAppStore(selectWorkspacePath);
  const store = useAppStoreApi();
  // Closing (Cancel, Escape, done) hands focus back to what opened it: Open, or the menu that holds Save as.
  useReturnFocusOnUnmount(prompt.mode === 'save' ? ['more', 'save'] : ['open']);
  // Set once, when the dialog opens, so nothing typed is ever overwritten by a late effect.
  const [path, setPath] = useState(() => (prompt.mode === 'save' ? (currentPath ?? 'workspace.yaml') : ''));
  const [busy, setBusy] = useState(false);
  // The path the "already exists" question was about: overwriting needs that answer for that very path.
  const [askedFor, setAskedFor] = useState<string | null>(null);
  const confirming = askedFor !== null && askedFor === path.trim();

  const saving = prompt.mode === 'save';
  const close = () => store.getState().closePathPrompt();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (path.trim() === '') return;
    setBusy(true);
    const s = store.getState();
    const target = path.trim();
    const ok = saving ? await s.saveWorkspaceAs(target, confirming) : await s.openWorkspace(target);
    setBusy(false);
    // On "exists" the slice has put the question into this prompt: stay open and ask; anything else closes it.
    if (!ok && saving && !confirming && store.getState().pathPrompt?.existing) setAskedFor(target);
    else close();
  };

  return (
    <Dialog open onOpenChange={(_, d) => !d.open && close()}>
      <DialogSurface aria-describedby={undefined}>
        <form onSubmit={submit}>
          <DialogBody>
            <DialogTitle>{saving ? 'Save workspace as' : 'Open workspace'}</DialogTitle>
            <DialogContent>
              <Field
                label="Path of the workspace file"
                hint={info?.cwd ? `On the machine running serve. Relative paths start in ${info.cwd}` : undefined}
                required
              >
                <Input
                  value={path}
                  onChange={(_, d) => setPath(d.value)}
                  placeholder={saving ? 'workspace.yaml' : '/path/to/workspace.yaml'}
                  data-testid="path-input"
                  autoFocus
                />
              </Field>
              {confirming && prompt.existing && (
                <MessageBar intent="warning" style={{ marginTop: 12 }}>
                  <MessageBarBody>{prompt.existing}</MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="secondary" onClick={close} data-testid="path-cancel">
                Cancel
              </Button>
              <Button appearance="primary" type="submit" disabled={busy || path.trim() === ''} data-testid="path-submit">
                {saving ? (confirming ? 'Overwrite' : 'Save') : 'Open'}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
