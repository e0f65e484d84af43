import type { Issue } from './paths';

export const CURRENT_VERSION = 1;

/**
 * Upgrades older workspace files to the current version. Version 1 is the first; when version 2 arrives, its
 * step goes into `steps` (keyed by the version it upgrades from) and old files keep loading.
 */
const steps: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> = {};

export function migrate(value: unknown): { ok: true; value: unknown } | { ok: false; errors: Issue[] } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, errors: [{ path: '(root)', message: 'must be a map of settings starting with "version: 1"' }] };
  }
  let doc = value as Record<string, unknown>;
  let version = doc.version;
  while (typeof version === 'number' && version < CURRENT_VERSION && steps[version]) {
    doc = steps[version]!(doc);
    version = doc.version;
  }
  if (typeof version === 'number' && version > CURRENT_VERSION) {
    return { ok: false, errors: [{ path: 'version', message: `version ${version} was written by a newer Breakerboard; this one reads version ${CURRENT_VERSION}` }] };
  }
  return { ok: true, value: doc };
}
