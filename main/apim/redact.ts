import { SECRET_MARK } from '../../shared/deploy';
import type { SecretSource } from '../secrets/secret-source';

/*
 * Belt and braces: plans and messages are built without secret values, and everything the deploy commands print
 * also passes through this filter, which replaces any known secret value with `(secret)`.
 */

export type Redact = (text: string) => string;

/** A filter for the values of the given secret names (values shorter than 4 characters are too common to hunt). */
export function secretRedactor(secrets: SecretSource, names: Iterable<string>): Redact {
  const values = [...new Set([...names].map((n) => secrets.get(n)).filter((v): v is string => typeof v === 'string' && v.length >= 4))];
  values.sort((a, b) => b.length - a.length);
  if (values.length === 0) return (t) => t;
  return (text) => values.reduce((acc, v) => acc.split(v).join(SECRET_MARK), text);
}

/** A filter that learns values as they are read (e.g. a named value's old value, read for rollback). */
export class SecretFilter {
  private values = new Set<string>();

  add(value: string | undefined): void {
    if (typeof value === 'string' && value.length >= 4) this.values.add(value);
  }

  apply = (text: string): string => [...this.values].sort((a, b) => b.length - a.length).reduce((acc, v) => acc.split(v).join(SECRET_MARK), text);
}
