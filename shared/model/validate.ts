import type { z } from 'zod';
import { migrate } from './migrate';
import { parseWorkspaceText } from './parse-text';
import { formatPath, type Issue } from './paths';
import { checkReferences } from './references';
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
    } else {
      out.push({ path: formatPath(iss.path), message: iss.message });
    }
  }
  return out;
}

/** Validates a plain value (already parsed): every error at once, each with its path; warnings alongside. */
export function validateWorkspace(value: unknown): ValidationResult {
  const migrated = migrate(value);
  if (!migrated.ok) return { ok: false, errors: migrated.errors, warnings: [] };
  const parsed = workspaceSchema.safeParse(migrated.value);
  if (!parsed.success) return { ok: false, errors: zodIssues(parsed.error), warnings: [] };
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
