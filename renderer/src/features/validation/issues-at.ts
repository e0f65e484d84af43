import type { Issue } from '../../../../shared/model/paths';

/** Errors and warnings from `shared/model` validation, as the store hands them to every screen. */
export interface Issues {
  errors: Issue[];
  warnings: Issue[];
}

export const NO_ISSUES: Issues = { errors: [], warnings: [] };

/** Whether `path` is `prefix` or lies below it (`a.b` covers `a.b.c` and `a.b[0]`, not `a.bc`). */
export function pathWithin(path: string, prefix: string): boolean {
  if (path === prefix) return true;
  if (!path.startsWith(prefix)) return false;
  const next = path[prefix.length];
  return next === '.' || next === '[';
}

/**
 * The issues that belong to one field (exact) or to everything under a prefix (a card, a pool, a rule). Paths
 * are those of `formatPath`, e.g. `pools.p1.services[1].weight`.
 */
export function issuesAt(issues: Issues, prefix: string, options: { exact?: boolean } = {}): Issues {
  const match = (i: Issue) => (options.exact ? i.path === prefix : pathWithin(i.path, prefix));
  return { errors: issues.errors.filter(match), warnings: issues.warnings.filter(match) };
}

/** A DOM id for the input of a path, so a summary entry can move focus to its field. */
export function fieldDomId(path: string): string {
  return `field-${path.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}
