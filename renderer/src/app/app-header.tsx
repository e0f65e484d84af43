import {
  Caption1,
  makeStyles,
  Menu,
  MenuItem,
  MenuList,
  MenuPopover,
  MenuTrigger,
  Text,
  tokens,
  Toolbar,
  ToolbarButton,
  ToolbarDivider,
  Tooltip,
} from '@fluentui/react-components';
import {
  ArrowRedoRegular,
  ArrowUndoRegular,
  DocumentAddRegular,
  FolderOpenRegular,
  MoreHorizontalRegular,
  PlugDisconnectedRegular,
  SaveEditRegular,
  SaveRegular,
} from '@fluentui/react-icons';
import { selectBusy, selectCanRedo, selectCanUndo, selectDirty, selectWorkspaceName, selectWorkspacePath } from '../store/workspace/selectors';
import { useAppStore } from '../store/store-context';
import { shortcutLabel } from './use-shortcuts';
import { ValidationSummary } from './validation-summary';

const useStyles = makeStyles({
  header: {
    display: 'flex',
    alignItems: 'center',
    gap: tokens.spacingHorizontalM,
    padding: `0 ${tokens.spacingHorizontalL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    minWidth: 0,
  },
  brand: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexShrink: 0, paddingRight: tokens.spacingHorizontalM, borderRight: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}` },
  mark: { color: tokens.colorBrandForeground1, fontSize: '20px', display: 'flex' },
  doc: { display: 'flex', alignItems: 'baseline', gap: tokens.spacingHorizontalS, minWidth: 0, flex: 1 },
  // Ellipsis when the header is narrow (200 % zoom), instead of running under the validation badge.
  name: { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: '2em' },
  path: { color: tokens.colorNeutralForeground3, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0, '@media (max-width: 760px)': { display: 'none' } },
  dirty: { color: tokens.colorPaletteDarkOrangeForeground1, whiteSpace: 'nowrap', fontWeight: tokens.fontWeightSemibold },
  toolbar: { flexShrink: 0, gap: tokens.spacingHorizontalXXS },
  // At 200 % zoom (the nav collapses at the same width) the header keeps one line: the word mark and the file's
  // folder go first, then Open and Save show their icons only. Their names stay for assistive technology.
  wordmark: { '@media (max-width: 760px)': { display: 'none' } },
  buttonLabel: {
    '@media (max-width: 600px)': { position: 'absolute', width: '1px', height: '1px', overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  },
  iconButton: { '@media (max-width: 600px)': { minWidth: 'auto', paddingLeft: tokens.spacingHorizontalS, paddingRight: tokens.spacingHorizontalS } },
});

/** A toolbar button's text that gives way to its icon when the header is narrow; still its accessible name. */
const Label = ({ text, className }: { text: string; className: string }) => <span className={className}>{text}</span>;

export function AppHeader() {
  const styles = useStyles();
  const name = useAppStore(selectWorkspaceName);
  const path = useAppStore(selectWorkspacePath);
  const dirty = useAppStore(selectDirty);
  const canUndo = useAppStore(selectCanUndo);
  const canRedo = useAppStore(selectCanRedo);
  const busy = useAppStore(selectBusy);
  const runCommand = useAppStore((s) => s.runCommand);

  return (
    <header className={styles.header} data-testid="app-header">
      <div className={styles.brand}>
        <span className={styles.mark} aria-hidden>
          <PlugDisconnectedRegular />
        </span>
        <Text weight="semibold" size={400} className={styles.wordmark}>
          Breakerboard
        </Text>
      </div>
      <div className={styles.doc}>
        <Text weight="semibold" className={styles.name} title={name} data-testid="workspace-name">
          {name}
        </Text>
        {dirty && (
          <span className={styles.dirty} data-testid="dirty-marker" aria-label="Unsaved changes">
            ● Unsaved changes
          </span>
        )}
        <Caption1 className={styles.path} title={path ?? undefined}>
          {path ?? 'not saved to a file yet'}
        </Caption1>
      </div>
      <ValidationSummary />
      <Toolbar aria-label="Workspace" className={styles.toolbar} size="small">
        <Tooltip content={`Undo (${shortcutLabel('Z')})`} relationship="label">
          <ToolbarButton icon={<ArrowUndoRegular />} disabled={!canUndo} onClick={() => runCommand('undo')} data-testid="undo" />
        </Tooltip>
        <Tooltip content={`Redo (${shortcutLabel('Shift+Z')})`} relationship="label">
          <ToolbarButton icon={<ArrowRedoRegular />} disabled={!canRedo} onClick={() => runCommand('redo')} data-testid="redo" />
        </Tooltip>
        <ToolbarDivider />
        <Tooltip content={`Open a workspace file (${shortcutLabel('O')})`} relationship="description">
          <ToolbarButton icon={<FolderOpenRegular />} onClick={() => runCommand('open')} data-testid="open" className={styles.iconButton}>
            <Label text="Open" className={styles.buttonLabel} />
          </ToolbarButton>
        </Tooltip>
        <Menu>
          <MenuTrigger disableButtonEnhancement>
            <Tooltip content="More" relationship="label">
              <ToolbarButton icon={<MoreHorizontalRegular />} data-testid="more" />
            </Tooltip>
          </MenuTrigger>
          <MenuPopover>
            <MenuList>
              <MenuItem icon={<SaveEditRegular />} onClick={() => runCommand('saveAs')} secondaryContent={shortcutLabel('Shift+S')}>
                Save as…
              </MenuItem>
              <MenuItem icon={<DocumentAddRegular />} onClick={() => runCommand('newFromDemo')}>
                New from the demo
              </MenuItem>
            </MenuList>
          </MenuPopover>
        </Menu>
        <Tooltip content={`Save (${shortcutLabel('S')})`} relationship="description">
          <ToolbarButton appearance="primary" icon={<SaveRegular />} disabled={busy === 'saving'} onClick={() => runCommand('save')} data-testid="save" className={styles.iconButton}>
            <Label text="Save" className={styles.buttonLabel} />
          </ToolbarButton>
        </Tooltip>
      </Toolbar>
    </header>
  );
}
