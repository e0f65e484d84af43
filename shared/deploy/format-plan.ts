import { KIND_LABEL } from './apply-events';
import { formatValue } from './diff';
import { countActions, hasChanges, type Plan, type ResourceChange } from './plan-schema';

/*
 * The human-readable plan, as `plan` prints it and `apply` shows before asking. One line per resource, then its
 * changed fields indented. Secret values are never in a plan, so they cannot appear here.
 */

const SIGN: Record<ResourceChange['action'], string> = { create: '+', update: '~', delete: '-', unchanged: '=' };

function fieldLine(f: ResourceChange['fields'][number]): string {
  if (f.secret) return `      ${f.path}: (secret value differs)`;
  if (f.before === undefined) return `      ${f.path}: ${formatValue(f.after)}`;
  if (f.after === undefined) return `      ${f.path}: ${formatValue(f.before)} → (removed)`;
  return `      ${f.path}: ${formatValue(f.before)} → ${formatValue(f.after)}`;
}

export function formatPlan(plan: Plan, opts: { showUnchanged?: boolean } = {}): string[] {
  const t = plan.target;
  const lines = [`plan for ${t.service} (resource group ${t.resourceGroup}, subscription ${t.subscription})`];
  for (const c of plan.changes) {
    if (c.action === 'unchanged' && !opts.showUnchanged && !c.note) continue;
    lines.push(`  ${SIGN[c.action]} ${c.action} ${KIND_LABEL[c.kind]} ${c.id}${c.note ? ` (${c.note})` : ''}`);
    if (c.action === 'update' || c.action === 'create') lines.push(...c.fields.map(fieldLine));
  }
  for (const n of plan.notes) lines.push(`  note: ${n}`);
  for (const b of plan.blockers) lines.push(`  error: ${b}`);
  const n = countActions(plan);
  lines.push(
    hasChanges(plan)
      ? `${n.create} to create, ${n.update} to update, ${n.delete} to delete, ${n.unchanged} unchanged`
      : `no changes: ${t.service} matches the workspace (${n.unchanged} resources checked)`,
  );
  return lines;
}
