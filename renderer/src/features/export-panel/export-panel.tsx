import { Button, Caption1, Field, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Select, Tab, TabList, tokens } from '@fluentui/react-components';
import { CopyRegular, SaveRegular } from '@fluentui/react-icons';
import { useMemo, useState } from 'react';
import { validateWorkspace } from '../../../../shared/model/validate';
import type { Workspace } from '../../../../shared/model/schema';
import type { Issues } from '../validation';
import { downloadText } from './download-text';
import { exportText, FORMAT_LABEL, suggestedFileName, type ExportFormat } from './export-text';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, minWidth: 0 },
  bar: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  pre: {
    margin: 0,
    padding: tokens.spacingHorizontalM,
    maxHeight: '480px',
    overflow: 'auto',
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    color: tokens.colorNeutralForeground1,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: 'pre',
  },
});

export interface ExportPanelProps {
  workspace: Workspace;
  issues: Issues;
  /** The workspace's file name, named in the Bicep's header as `export <file>` names it. */
  source?: string;
  /** Save the text to a file (e.g. through a native dialog); without it, Save as… downloads the file instead. */
  onSaveAs?(request: { format: ExportFormat; text: string; fileName: string }): Promise<void> | void;
}

/** Bicep, ARM and policy previews with copy and save-as; refused, with the list, while the workspace has errors. */
export function ExportPanel({ workspace, issues, source, onSaveAs }: ExportPanelProps) {
  const styles = useStyles();
  const [format, setFormat] = useState<ExportFormat>('bicep');
  const [status, setStatus] = useState('');
  const checked = useMemo(() => validateWorkspace(workspace), [workspace]);
  const apiIds = Object.keys(workspace.apis ?? {});
  const [api, setApi] = useState<string | undefined>(apiIds[0]);
  const apiId = api && apiIds.includes(api) ? api : apiIds[0];
  const text = useMemo(() => (checked.ok ? exportText(checked.workspace, format, apiId, source) : ''), [checked, format, apiId, source]);
  const errors = checked.ok ? issues.errors : checked.errors;

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(`${FORMAT_LABEL[format]} copied to the clipboard.`);
    } catch {
      setStatus('Copy failed: the clipboard is not available here; select the text instead.');
    }
  };
  const save = async () => {
    try {
      const fileName = suggestedFileName(format, apiId);
      if (onSaveAs) await onSaveAs({ format, text, fileName });
      else downloadText(fileName, text);
      setStatus('');
    } catch (e) {
      setStatus(`Save failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <section className={styles.root} data-testid="export-panel" aria-label="Export">
      <TabList selectedValue={format} onTabSelect={(_, d) => setFormat(d.value as ExportFormat)}>
        {(Object.keys(FORMAT_LABEL) as ExportFormat[]).map((f) => (
          <Tab key={f} value={f} data-testid={`export-tab-${f}`}>
            {FORMAT_LABEL[f]}
          </Tab>
        ))}
      </TabList>
      {errors.length > 0 ? (
        <MessageBar intent="error" data-testid="export-blocked">
          <MessageBarBody>
            <MessageBarTitle>Fix {errors.length} error{errors.length === 1 ? '' : 's'} to export</MessageBarTitle>
            <ul>
              {errors.map((e, i) => (
                <li key={i}>
                  {e.path}: {e.message}
                </li>
              ))}
            </ul>
          </MessageBarBody>
        </MessageBar>
      ) : (
        <>
          <div className={styles.bar}>
            {format === 'policy' && (
              <Field label="API" size="small">
                <Select value={apiId ?? ''} onChange={(_, d) => setApi(d.value)} data-testid="export-api">
                  {apiIds.map((id) => (
                    <option key={id} value={id}>
                      {id}
                    </option>
                  ))}
                </Select>
              </Field>
            )}
            <Button icon={<CopyRegular />} onClick={() => void copy()} disabled={!text} data-testid="export-copy">
              Copy
            </Button>
            <Button icon={<SaveRegular />} onClick={() => void save()} disabled={!text} data-testid="export-save">
              Save as…
            </Button>
            <Caption1 role="status" data-testid="export-status">
              {status}
            </Caption1>
          </div>
          {format === 'policy' && apiIds.length === 0 ? (
            <Caption1>No APIs in this workspace: add one to get its policy.</Caption1>
          ) : (
            <pre className={styles.pre} data-testid="export-preview" tabIndex={0} aria-label={`${FORMAT_LABEL[format]} preview`}>
              {text}
            </pre>
          )}
        </>
      )}
    </section>
  );
}
