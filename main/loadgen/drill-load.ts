import { resolve } from 'node:path';
import type { Issue, Workspace } from '../../shared/model';
import { checkDrillAgainstWorkspace, parseDrillText, type Drill } from '../../shared/simulation/drill-file';
import { readTextFile } from '../workspace/workspace-file';

export type LoadedDrill = { ok: true; drill: Drill } | { ok: false; errors: Issue[] };

const MAX_DRILL_BYTES = 1024 * 1024;

/** Reads a drill file and checks it against the workspace it will run on; every error names its field. */
export async function loadDrillFile(path: string, cwd: string, ws: Workspace): Promise<LoadedDrill> {
  const read = await readTextFile(resolve(cwd, path), MAX_DRILL_BYTES);
  if (!read.ok) return { ok: false, errors: [{ path, message: read.message }] };
  const parsed = parseDrillText(read.text);
  if (!parsed.ok) return parsed;
  const errors = checkDrillAgainstWorkspace(parsed.drill, ws);
  return errors.length > 0 ? { ok: false, errors } : parsed;
}
