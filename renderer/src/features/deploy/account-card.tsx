import { Badge, Body1, Button, Caption1, Card, CardHeader, Field, Input, makeStyles, MessageBar, MessageBarBody, Select, Spinner, Subtitle2, tokens } from '@fluentui/react-components';
import { PersonRegular, SignOutRegular } from '@fluentui/react-icons';
import { useEffect, useState } from 'react';
import type { SignInMethod } from '../../../../shared/contract/apim';
import { useAppStore } from '../../store/store-context';

/*
 * Who deploys, and to which cloud: the ARM endpoint (public Azure, a sovereign cloud, or a local emulator) and
 * the sign-in. A pasted token goes to the main side and is never shown again.
 */
const useStyles = makeStyles({
  card: { padding: tokens.spacingHorizontalL, display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  row: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'flex-end', flexWrap: 'wrap' },
  grow: { flex: '1 1 240px', minWidth: 0 },
  who: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM },
  whoText: { display: 'flex', flexDirection: 'column', minWidth: 0, flex: '1 1 auto' },
  muted: { color: tokens.colorNeutralForeground3, overflowWrap: 'anywhere' },
  nowrap: { flexShrink: 0, whiteSpace: 'nowrap' },
});

export const METHOD_LABEL: Record<SignInMethod, string> = {
  token: 'Access token',
  cli: 'Azure CLI login',
  browser: 'Browser (interactive)',
  device: 'Device code',
};

const METHOD_HINT: Record<SignInMethod, string> = {
  token: 'Paste an ARM token, e.g. the output of: az account get-access-token --query accessToken -o tsv. Kept in memory only.',
  cli: 'Uses the account of az login on the machine that runs Breakerboard.',
  browser: 'Opens the sign-in page in the default browser of the machine that runs Breakerboard.',
  device: 'Shows a code to enter at microsoft.com/devicelogin, from any device.',
};

function EndpointField() {
  const styles = useStyles();
  const settings = useAppStore((s) => s.deploy.settings);
  const setEndpoint = useAppStore((s) => s.setEndpoint);
  const [text, setText] = useState(settings?.endpoint ?? '');
  useEffect(() => setText(settings?.endpoint ?? ''), [settings?.endpoint]);
  const changed = settings !== null && text.trim() !== settings.endpoint;
  return (
    <form className={styles.row} onSubmit={(e) => (e.preventDefault(), void setEndpoint(text.trim()))} aria-label="ARM endpoint">
      <Field className={styles.grow} label="ARM endpoint" hint="Public Azure by default; a sovereign cloud (e.g. https://management.usgovcloudapi.net) or a local emulator.">
        <Input value={text} onChange={(_, d) => setText(d.value)} data-testid="deploy-endpoint" />
      </Field>
      {settings && !changed && settings.endpoint === settings.defaultEndpoint && <Badge appearance="tint">default</Badge>}
      {changed && (
        <Button type="submit" data-testid="deploy-endpoint-save">
          Use this endpoint
        </Button>
      )}
    </form>
  );
}

function SignInForm() {
  const styles = useStyles();
  const signIn = useAppStore((s) => s.signIn);
  const busy = useAppStore((s) => s.deploy.busy === 'signing-in');
  const prompt = useAppStore((s) => s.deploy.signInPrompt);
  const [method, setMethod] = useState<SignInMethod>('token');
  const [token, setToken] = useState('');
  const [tenant, setTenant] = useState('');
  const submit = async () => {
    const ok = await signIn({ method, ...(method === 'token' ? { token } : {}), ...(tenant.trim() ? { tenant: tenant.trim() } : {}) });
    if (ok) setToken('');
  };
  return (
    <form className={styles.card} style={{ padding: 0 }} onSubmit={(e) => (e.preventDefault(), void submit())} aria-label="Sign in to Azure">
      <div className={styles.row}>
        <Field label="Sign in with" hint={METHOD_HINT[method]} className={styles.grow}>
          <Select value={method} onChange={(_, d) => setMethod(d.value as SignInMethod)} data-testid="deploy-signin-method">
            {(Object.keys(METHOD_LABEL) as SignInMethod[]).map((m) => (
              <option key={m} value={m}>
                {METHOD_LABEL[m]}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Tenant (optional)" className={styles.grow}>
          <Input value={tenant} onChange={(_, d) => setTenant(d.value)} placeholder="contoso.onmicrosoft.com or tenant id" data-testid="deploy-signin-tenant" />
        </Field>
      </div>
      {method === 'token' && (
        <Field label="Access token" required>
          <Input type="password" value={token} onChange={(_, d) => setToken(d.value)} autoComplete="off" data-testid="deploy-signin-token" />
        </Field>
      )}
      {prompt && (
        <MessageBar intent="info" data-testid="deploy-signin-prompt">
          <MessageBarBody>{prompt}</MessageBarBody>
        </MessageBar>
      )}
      <div className={styles.row}>
        <Button appearance="primary" type="submit" disabled={busy || (method === 'token' && token.trim() === '')} data-testid="deploy-signin">
          Sign in
        </Button>
        {busy && <Spinner size="tiny" label="Signing in…" />}
      </div>
    </form>
  );
}

export function AccountCard() {
  const styles = useStyles();
  const account = useAppStore((s) => s.deploy.account);
  const signOut = useAppStore((s) => s.signOut);
  return (
    <Card className={styles.card} data-testid="deploy-account">
      <CardHeader header={<Subtitle2>Azure account</Subtitle2>} />
      <EndpointField />
      {account?.signedIn ? (
        <div className={styles.who} data-testid="deploy-signed-in">
          <PersonRegular fontSize={32} aria-hidden />
          <div className={styles.whoText}>
            <Body1 data-testid="deploy-account-user">{account.user ?? 'Signed in (the token does not name the account)'}</Body1>
            <Caption1 className={styles.muted} data-testid="deploy-account-tenant">
              Tenant {account.tenant ?? 'unknown'} · {account.method ? METHOD_LABEL[account.method] : ''}
            </Caption1>
          </div>
          <Button className={styles.nowrap} icon={<SignOutRegular />} onClick={() => void signOut()} data-testid="deploy-signout">
            Sign out
          </Button>
        </div>
      ) : (
        <SignInForm />
      )}
    </Card>
  );
}
