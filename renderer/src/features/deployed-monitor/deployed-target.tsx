import { Button, Caption1, Card, Checkbox, Field, Input, makeStyles, MessageBar, MessageBarBody, Radio, RadioGroup, Select, Spinner, Subtitle2, Textarea, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { DeployTarget } from '../../../../shared/contract';
import { useAppStore } from '../../store/store-context';
import { selectWorkspaceValue } from '../../store/workspace/selectors';
import { deployedInitialState } from './deployed-slice';

const useStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM, padding: tokens.spacingHorizontalL },
  row: { display: 'flex', gap: tokens.spacingHorizontalM, alignItems: 'end', flexWrap: 'wrap' },
  muted: { color: tokens.colorNeutralForeground3 },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

const LOAD_ONLY = 'version: 1\nload: { rps: 5, duration: PT60S, api: azure-openai }\nexpect: { clientErrors: 0 }\n';

/**
 * The Simulate screen's target: the local engine (everything else on the screen) or the deployed APIM gateway,
 * where a drill's loads run for real and the local prediction is shown beside them. The key is picked from the
 * service's subscriptions (read in main, never shown) or typed for this run only.
 */
export function DeployedTarget() {
  const styles = useStyles();
  const [target, setTarget] = useState<'local' | 'deployed'>('local');
  const [url, setUrl] = useState('');
  const [text, setText] = useState(LOAD_ONLY);
  const [keyMode, setKeyMode] = useState<'service' | 'typed'>('service');
  const [typed, setTyped] = useState('');
  const [sid, setSid] = useState('');
  const [subs, setSubs] = useState<{ id: string; displayName: string; scope: string }[] | null>(null);
  const [driveQuota, setDriveQuota] = useState(false);
  const [listError, setListError] = useState<string | null>(null);
  const ws = useAppStore((s) => (s.workspace ? selectWorkspaceValue(s) : null)) as { target?: DeployTarget } | null;
  const drill = useAppStore((s) => s.deployed?.drill ?? deployedInitialState.drill);
  const run = useAppStore((s) => s.runDeployedDrill);
  const listKeys = useAppStore((s) => s.listDeployedKeys);
  const svc = ws?.target;
  const gateway = url || (svc ? `https://${svc.service}.azure-api.net/openai` : '');
  const load = async () => {
    if (!svc) return;
    setListError(null);
    try {
      setSubs(await listKeys(svc));
    } catch (e) {
      setListError((e as Error).message);
    }
  };
  const start = () => void run({ text, against: gateway, driveQuota, ...(keyMode === 'typed' ? { key: typed } : { keyFrom: { target: svc!, subscription: sid } }) });
  const ready = gateway !== '' && (keyMode === 'typed' ? typed !== '' : svc !== undefined && sid !== '') && !drill.running;
  return (
    <Card className={styles.panel} data-testid="simulate-target">
      <Subtitle2>Target</Subtitle2>
      <RadioGroup layout="horizontal" value={target} onChange={(_, d) => setTarget(d.value as 'local' | 'deployed')} aria-label="Drill target">
        <Radio value="local" label="Local engine" />
        <Radio value="deployed" label="Deployed service" />
      </RadioGroup>
      {target === 'deployed' && (
        <>
          <Caption1 className={styles.muted}>Only loads run against a deployed service; faults are refused unless you drive a backend past its quota (costs money).</Caption1>
          <div className={styles.row}>
            <Field label="Gateway URL">
              <Input value={gateway} onChange={(_, v) => setUrl(v.value)} placeholder="https://<service>.azure-api.net/openai" />
            </Field>
            <RadioGroup layout="horizontal" value={keyMode} onChange={(_, d) => setKeyMode(d.value as 'service' | 'typed')} aria-label="Subscription key">
              <Radio value="service" label="Key from the service" />
              <Radio value="typed" label="Type a key" />
            </RadioGroup>
            {keyMode === 'service' ? (
              <>
                <Button onClick={() => void load()} disabled={!svc}>
                  List subscriptions
                </Button>
                {subs && (
                  <Field label="APIM subscription">
                    <Select value={sid} onChange={(_, v) => setSid(v.value)}>
                      <option value="">choose…</option>
                      {subs.map((s) => (
                        <option key={s.id} value={s.id}>
                          {s.displayName} ({s.scope})
                        </option>
                      ))}
                    </Select>
                  </Field>
                )}
              </>
            ) : (
              <Field label="Subscription key" hint="used for this run only, never saved">
                <Input type="password" value={typed} onChange={(_, v) => setTyped(v.value)} />
              </Field>
            )}
          </div>
          {listError && <Caption1>{listError}</Caption1>}
          <Field label="Drill (loads only)">
            <Textarea className={styles.mono} value={text} onChange={(_, v) => setText(v.value)} rows={4} />
          </Field>
          <div className={styles.row}>
            <Checkbox checked={driveQuota} onChange={(_, d) => setDriveQuota(d.checked === true)} label="Drive throttled backends past their quota" />
            <Button appearance="primary" disabled={!ready} onClick={start}>
              Run against the deployed service
            </Button>
            {drill.running && <Spinner size="tiny" label="running; the local prediction runs first" />}
          </div>
          {drill.error && (
            <MessageBar intent="error">
              <MessageBarBody>{drill.error}</MessageBarBody>
            </MessageBar>
          )}
          {drill.done?.observed && drill.done.predicted && (
            <div data-testid="deployed-drill-result">
              {drill.done.estimate?.map((l) => <Caption1 key={l}>{l}</Caption1>)}
              <Caption1 block>
                Observed: {drill.done.observed.requests} requests, {drill.done.observed.clientErrors} client errors, served by{' '}
                {Object.entries(drill.done.observed.servedBy).map(([id, n]) => `${id} ${n}`).join(', ') || 'nobody'}.
              </Caption1>
              <Caption1 block>
                Predicted: {drill.done.predicted.requests} requests, {drill.done.predicted.clientErrors} client errors, served by{' '}
                {Object.entries(drill.done.predicted.servedBy).map(([id, n]) => `${id} ${n}`).join(', ') || 'nobody'}.
              </Caption1>
              {(drill.done.differences ?? []).length === 0 ? (
                <Caption1 block>No differences beyond the thresholds.</Caption1>
              ) : (
                drill.done.differences!.map((x) => (
                  <Caption1 block key={x.what}>
                    ⚠ {x.what}: observed {x.observed}, predicted {x.predicted}
                    {x.note ? ` — ${x.note}` : ''}
                  </Caption1>
                ))
              )}
            </div>
          )}
        </>
      )}
    </Card>
  );
}
