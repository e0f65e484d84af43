import { Badge, Body1, Button, Caption1, Card, makeStyles, MessageBar, MessageBarActions, MessageBarBody, Subtitle2, tokens, Tooltip } from '@fluentui/react-components';
import { CopyRegular, DismissRegular, PlayRegular, StopRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState } from 'react';
import { sdkSnippet } from './sdk-snippet';
import { useMonitor } from './use-monitor';

const useStyles = makeStyles({
  card: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS, padding: tokens.spacingHorizontalL },
  row: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  spacer: { flex: 1 },
  url: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase300, padding: `${tokens.spacingVerticalXXS} ${tokens.spacingHorizontalS}`, backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusMedium },
  snippet: {
    margin: 0,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    lineHeight: tokens.lineHeightBase200,
    padding: tokens.spacingHorizontalM,
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    overflowX: 'auto',
    maxHeight: '220px',
  },
  muted: { color: tokens.colorNeutralForeground3 },
});

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/** Start/stop the local gateway on the open workspace; where to point clients, with a copyable SDK snippet. */
export function RunPanel({ compact = false }: { compact?: boolean }) {
  const styles = useStyles();
  const run = useMonitor((s) => s.monitor.run);
  const busy = useMonitor((s) => s.monitor.busy);
  const error = useMonitor((s) => s.monitor.error);
  const apis = useMonitor((s) => s.monitor.config?.apis);
  const warnings = useMonitor((s) => s.monitor.config?.warnings);
  const startGateway = useMonitor((s) => s.startGateway);
  const stopGateway = useMonitor((s) => s.stopGateway);
  const dismissMonitorError = useMonitor((s) => s.dismissMonitorError);
  const [showSnippet, setShowSnippet] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const snippet = run.url ? sdkSnippet(run.url, apis ? Object.values(apis)[0] : undefined) : '';
  const onCopy = async (what: string, text: string) => setCopied((await copy(text)) ? what : null);
  const starting = busy === 'start' || busy === 'stop';
  // Start and Stop replace each other: focus moves to the one that appears, never to <body> (WCAG 2.4.3).
  const startRef = useRef<HTMLButtonElement>(null);
  const stopRef = useRef<HTMLButtonElement>(null);
  const acted = useRef(false);
  const act = (work: () => Promise<void>) => {
    acted.current = true;
    void work();
  };
  useEffect(() => {
    if (!acted.current || starting) return;
    acted.current = false;
    (run.running ? stopRef : startRef).current?.focus();
  }, [run.running, starting]);

  return (
    <Card className={styles.card} data-testid="run-panel" aria-label="Local gateway">
      <div className={styles.row}>
        <Subtitle2 as="h2">Local gateway</Subtitle2>
        <Badge appearance="tint" color={run.running ? 'success' : 'informative'} data-testid="run-state">
          {run.running ? (run.simulate ? 'running · simulated backends' : 'running · real backends') : 'stopped'}
        </Badge>
        <span className={styles.spacer} />
        {!run.running && (
          <>
            <Button ref={startRef} appearance="primary" icon={<PlayRegular />} disabled={starting} onClick={() => act(() => startGateway(true))} data-testid="run-start-simulated">
              Start with simulated backends
            </Button>
            <Tooltip content="Sends requests to the backends' real URLs with their keys from the keychain or BREAKERBOARD_SECRET_*" relationship="description">
              <Button icon={<PlayRegular />} disabled={starting} onClick={() => act(() => startGateway(false))} data-testid="run-start-real">
                Start with real backends
              </Button>
            </Tooltip>
          </>
        )}
        {run.running && (
          <Button ref={stopRef} icon={<StopRegular />} disabled={starting} onClick={() => act(() => stopGateway())} data-testid="run-stop">
            Stop
          </Button>
        )}
      </div>
      {run.running && run.url && (
        <div className={styles.row}>
          <Caption1 className={styles.muted}>Point clients at</Caption1>
          <code className={styles.url} data-testid="gateway-url">
            {run.url}
          </code>
          <Button size="small" appearance="subtle" icon={<CopyRegular />} onClick={() => void onCopy('url', run.url!)} data-testid="copy-url">
            {copied === 'url' ? 'Copied' : 'Copy URL'}
          </Button>
          {!compact && (
            <Button size="small" appearance="subtle" onClick={() => setShowSnippet((v) => !v)} aria-expanded={showSnippet} data-testid="toggle-snippet">
              {showSnippet ? 'Hide SDK snippet' : 'Show openai SDK snippet'}
            </Button>
          )}
        </div>
      )}
      {!run.running && <Body1 className={styles.muted}>The gateway routes as the exported policy makes APIM do (see docs/apim-fidelity.md), on this workspace&apos;s pools and breakers. Simulated backends are local stand-ins you can throttle or break on the Simulate screen.</Body1>}
      {run.running && showSnippet && !compact && (
        <div className={styles.row} style={{ alignItems: 'flex-start' }}>
          <pre className={styles.snippet} data-testid="sdk-snippet" style={{ flex: 1 }}>
            {snippet}
          </pre>
          <Button size="small" icon={<CopyRegular />} onClick={() => void onCopy('snippet', snippet)} data-testid="copy-snippet">
            {copied === 'snippet' ? 'Copied' : 'Copy'}
          </Button>
        </div>
      )}
      {run.running && run.notice && (
        <MessageBar intent="info" data-testid="run-notice">
          <MessageBarBody>{run.notice}</MessageBarBody>
        </MessageBar>
      )}
      {run.running && !run.simulate && (warnings?.length ?? 0) > 0 && (
        <MessageBar intent="warning" data-testid="run-warnings">
          <MessageBarBody>{warnings!.join(' · ')}</MessageBarBody>
        </MessageBar>
      )}
      {error && (
        <MessageBar intent="error" data-testid="monitor-error">
          <MessageBarBody>{error}</MessageBarBody>
          <MessageBarActions containerAction={<Button appearance="transparent" aria-label="Dismiss" icon={<DismissRegular />} onClick={dismissMonitorError} />} />
        </MessageBar>
      )}
    </Card>
  );
}
