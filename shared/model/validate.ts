import type { z } from 'zod';
import { migrate } from './migrate';
import { parseWorkspaceText } from './parse-text';
import { formatPath, type Issue } from './paths';
import { checkReferences, referenceView } from './references';
import { workspaceSchema, type Workspace } from './schema';
import { collectWarnings } from './warnings';

export interface Counts {
  backends: number;
  pools: number;
  apis: number;
}

export type ValidationResult =
  | { ok: true; workspace: Workspace; counts: Counts; errors: []; warnings: Issue[] }
  | { ok: false; errors: Issue[]; warnings: Issue[] };

function zodIssues(error: z.ZodError): Issue[] {
  const out: Issue[] = [];
  for (const iss of error.issues) {
    if (iss.code === 'unrecognized_keys') {
      for (const key of iss.keys) out.push({ path: formatPath([...iss.path, key]), message: 'unknown field' });
    } else if (iss.code === 'invalid_key') {
      // A map key that is not a valid id: say what is wrong with the id, not "invalid key".
      for (const inner of iss.issues) out.push({ path: formatPath(iss.path), message: `id ${inner.message}` });
    } else {
      out.push({ path: formatPath(iss.path), message: iss.message });
    }
  }
  return out;
}

function dedupe(issues: Issue[]): Issue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Keys named `__proto__` are dropped by the schema (they would replace an object's prototype), so an entry with
 * that id would vanish silently: report each instead.
 */
function protoKeys(value: unknown, path: (string | number)[] = [], out: Issue[] = []): Issue[] {
  if (Array.isArray(value)) value.forEach((v, i) => protoKeys(v, [...path, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '__proto__') out.push({ path: formatPath([...path, k]), message: '"__proto__" cannot be used as a name' });
      else protoKeys(v, [...path, k], out);
    }
  }
  return out;
}

/** Validates a plain value (already parsed): every error at once, each with its path; warnings alongside. */
export function validateWorkspace(value: unknown): ValidationResult {
  const migrated = migrate(value);
  if (!migrated.ok) return { ok: false, errors: migrated.errors, warnings: [] };
  const reserved = protoKeys(migrated.value);
  if (reserved.length > 0) return { ok: false, errors: reserved, warnings: [] };
  const parsed = workspaceSchema.safeParse(migrated.value);
  if (!parsed.success) {
    // Report reference errors too, so that one run lists everything that is wrong.
    const errors = [...zodIssues(parsed.error), ...checkReferences(referenceView(migrated.value))];
    return { ok: false, errors: dedupe(errors), warnings: [] };
  }
  const ws = parsed.data;
  const errors = checkReferences(ws);
  const warnings = collectWarnings(ws);
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, workspace: ws, counts: countsOf(ws), errors: [], warnings };
}

export function countsOf(ws: Workspace): Counts {
  return { backends: Object.keys(ws.backends).length, pools: Object.keys(ws.pools ?? {}).length, apis: Object.keys(ws.apis ?? {}).length };
}

/** Text (YAML or JSON) → validation result; syntax errors carry line and column. */
export function validateWorkspaceText(text: string): ValidationResult {
  const parsed = parseWorkspaceText(text);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, warnings: [] };
  return validateWorkspace(parsed.value);
}
