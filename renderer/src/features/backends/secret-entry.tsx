import { Badge, Button, Field, Input, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';

const useStyles = makeStyles({ row: { display: 'flex', alignItems: 'flex-end', gap: tokens.spacingHorizontalS, flexWrap: 'wrap' } });

export type SecretSource = 'store' | 'env' | 'missing';

/** How secret values leave the UI: once, by name, to the main side's keychain or memory store. */
export interface SecretCallbacks {
  /** Stores a secret value under its name. The value is never shown again or kept in the renderer. */
  onSetSecret?(name: string, value: string): Promise<void> | void;
  /** Where each secret name resolves (from the secrets service's status), to say "stored" or "missing". */
  secretSources?: Record<string, SecretSource>;
}

const SOURCE_TEXT: Record<SecretSource, string> = { store: 'stored', env: 'from environment', missing: 'not set' };

/**
 * Write-only entry for an api-key: a password box whose value goes to `onSetSecret` and is cleared at once, so
 * the key exists in the renderer only while being typed.
 */
export function SecretEntry({ name, onSetSecret, secretSources }: { name: string } & SecretCallbacks) {
  const styles = useStyles();
  const [value, setValue] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');
  const source = secretSources?.[name];
  const save = async () => {
    if (!onSetSecret || !value) return;
    const v = value;
    setValue('');
    setState('saving');
    try {
      await onSetSecret(name, v);
      setState('saved');
    } catch {
      setState('failed');
    }
  };
  const hint = state === 'saved' ? 'Key stored. It will not be shown again.' : state === 'failed' ? 'Could not store the key; try again.' : 'Entered once and kept in the keychain (or memory in serve mode), never in the file.';
  return (
    <div className={styles.row}>
      <Field label={`Key for "${name}"`} size="small" hint={hint} validationState={state === 'failed' ? 'error' : 'none'}>
        <Input type="password" autoComplete="off" value={value} onChange={(_, d) => setValue(d.value)} disabled={!onSetSecret} data-testid={`secret-value-${name}`} />
      </Field>
      <Button onClick={() => void save()} disabled={!onSetSecret || !value || state === 'saving'} data-testid={`secret-save-${name}`}>
        Store key
      </Button>
      {source && (
        <Badge appearance="tint" color={source === 'missing' ? 'warning' : 'success'} data-testid={`secret-source-${name}`}>
          {SOURCE_TEXT[source]}
        </Badge>
      )}
    </div>
  );
}
