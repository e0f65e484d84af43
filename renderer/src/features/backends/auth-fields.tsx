import { Field, Input, makeStyles, Radio, RadioGroup, tokens } from '@fluentui/react-components';
import { formatPath } from '../../../../shared/model/paths';
import type { BackendAuth } from '../../../../shared/model/schema';
import { fieldDomId, useFieldValidation } from '../validation';
import { SecretEntry, type SecretCallbacks } from './secret-entry';

const useStyles = makeStyles({ root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS } });

/** Auth of one backend: api-key (secret name + write-only value), managed identity, or none. */
export function AuthFields({ id, auth, onChange, ...secrets }: { id: string; auth: BackendAuth | undefined; onChange(auth: BackendAuth | undefined): void } & SecretCallbacks) {
  const styles = useStyles();
  const base = ['backends', id, 'auth'];
  const secretPath = formatPath([...base, 'secret']);
  const secretValidation = useFieldValidation(secretPath);
  const typeValidation = useFieldValidation(formatPath(base));
  const type = auth?.type ?? 'none';
  const setType = (t: string) => {
    if (t === type) return;
    if (t === 'api-key') onChange({ type: 'api-key', secret: `${id}-key` });
    else if (t === 'managed-identity') onChange({ type: 'managed-identity' });
    else onChange(undefined);
  };
  return (
    <div className={styles.root}>
      <Field label="Authentication" size="small" {...typeValidation}>
        <RadioGroup layout="horizontal" value={type} onChange={(_, d) => setType(d.value)} data-testid="auth-type">
          <Radio value="api-key" label="API key" data-testid="auth-api-key" />
          <Radio value="managed-identity" label="Managed identity" data-testid="auth-managed-identity" />
          <Radio value="none" label="None" data-testid="auth-none" />
        </RadioGroup>
      </Field>
      {auth?.type === 'api-key' && (
        <>
          <Field label="Secret name" size="small" hint="An APIM named value; the file keeps only this name." {...secretValidation}>
            <Input id={fieldDomId(secretPath)} value={auth.secret} onChange={(_, d) => onChange({ ...auth, secret: d.value })} data-testid="auth-secret-name" />
          </Field>
          {auth.secret && <SecretEntry name={auth.secret} {...secrets} />}
        </>
      )}
      {auth?.type === 'managed-identity' && (
        <Field label="Resource" size="small" hint="Default: https://cognitiveservices.azure.com">
          <Input value={auth.resource ?? ''} onChange={(_, d) => onChange(d.value ? { ...auth, resource: d.value } : { type: 'managed-identity', ...(auth.clientId ? { clientId: auth.clientId } : {}) })} data-testid="auth-mi-resource" />
        </Field>
      )}
    </div>
  );
}
