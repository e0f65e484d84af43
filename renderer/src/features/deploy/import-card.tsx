import { Body1, Button, Caption1, Card, CardHeader, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Subtitle2, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, DocumentAddRegular } from '@fluentui/react-icons';
import { useAppStore } from '../../store/store-context';

/*
 * Import: what the service has becomes the workspace (one undoable edit), or a new one. The report says what was
 * read and what was kept aside because the workspace does not model it (it stays in APIM; apply leaves it).
 */
const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
  list: { margin: `${tokens.spacingVerticalXS} 0 0`, paddingLeft: tokens.spacingHorizontalXL },
  muted: { color: tokens.colorNeutralForeground3 },
  col: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalXS, marginTop: tokens.spacingVerticalXS },
});

const counted = (ids: string[], one: string, many: string) => `${ids.length} ${ids.length === 1 ? one : many}${ids.length > 0 ? ` (${ids.join(', ')})` : ''}`;

export function ImportCard() {
  const styles = useStyles();
  const importService = useAppStore((s) => s.importService);
  const report = useAppStore((s) => s.deploy.importReport);
  const busy = useAppStore((s) => s.deploy.busy);
  const service = useAppStore((s) => s.deploy.pick.service);
  const signedIn = useAppStore((s) => Boolean(s.deploy.account?.signedIn));
  const ready = signedIn && Boolean(service) && busy === null;
  return (
    <Card className={styles.card} data-testid="deploy-import">
      <CardHeader
        header={<Subtitle2>Import from the service</Subtitle2>}
        description={<Caption1 className={styles.muted}>Start from what {service ?? 'the service'} runs today: its backends, pools, breaker rules and API wiring.</Caption1>}
      />
      <div className={styles.row}>
        <Button icon={<ArrowDownloadRegular />} disabled={!ready} onClick={() => void importService('open')} data-testid="deploy-import-open">
          Import into this workspace
        </Button>
        <Button icon={<DocumentAddRegular />} disabled={!ready} onClick={() => void importService('new')} data-testid="deploy-import-new">
          Import as a new workspace
        </Button>
        {busy === 'importing' && <Spinner size="tiny" label="Reading the service…" />}
      </div>
      {report && (
        <MessageBar intent={report.keptAside.length > 0 ? 'warning' : 'success'} layout="multiline" data-testid="deploy-import-report">
          <MessageBarBody>
            <MessageBarTitle>
              Imported from {report.service} {report.into === 'new' ? 'into a new workspace' : 'into this workspace'} (undo takes it back)
            </MessageBarTitle>
            <div className={styles.col}>
              <Body1 data-testid="deploy-import-read">
                Read {counted(report.read.backends, 'backend', 'backends')}, {counted(report.read.pools, 'pool', 'pools')}, {counted(report.read.apis, 'API', 'APIs')}.
              </Body1>
              {report.keptAside.length > 0 ? (
                <>
                  <Body1>Kept aside — not modeled by the workspace, left as it is in APIM:</Body1>
                  <ul className={styles.list} data-testid="deploy-import-kept">
                    {report.keptAside.map((n, i) => (
                      <li key={i}>{n}</li>
                    ))}
                  </ul>
                </>
              ) : (
                <Body1>Nothing was kept aside: the workspace models everything the service has.</Body1>
              )}
            </div>
          </MessageBarBody>
        </MessageBar>
      )}
    </Card>
  );
}
