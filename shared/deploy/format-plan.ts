import { KIND_LABEL } from './apply-events';
import { formatValue } from './diff';
import { countActions, hasChanges, type Plan, type ResourceChange } from './plan-schema';
import { PREVIEW_API_VERSION } from './preview-fields';
import { maskField } from './secret-fields';

/*
 * The human-readable plan, as `plan` prints it and `apply` shows before asking. One line per resource, then its
 * changed fields indented. Secret values are never in a plan, so they cannot appear here.
 */

const SIGN: Record<ResourceChange['action'], string> = { create: '+', update: '~', delete: '-', unchanged: '=' };

function fieldLine(field: ResourceChange['fields'][number], preview: readonly string[] = []): string {
  const f = maskField(field);
  const tag = preview.some((p) => f.path === p || f.path.startsWith(`${p}.`) || p.startsWith(`${f.path}.`) || p.startsWith(`${f.path}[`)) ? ' (preview)' : '';
  return fieldText(f) + tag;
}

function fieldText(f: ResourceChange['fields'][number]): string {
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
    if (c.action !== 'update' && c.action !== 'create') continue;
    lines.push(...c.fields.map((f) => fieldLine(f, c.preview)));
    if (c.touches && c.touches.length > 0) {
      lines.push(`      apply sets only: ${c.touches.join(', ')}; ${c.keeps && c.keeps.length > 0 ? `keeps as APIM has them: ${c.keeps.join(', ')}` : 'everything else stays as APIM has it'}`);
    }
    if (c.apiVersion === PREVIEW_API_VERSION) lines.push(`      written with the preview api-version ${PREVIEW_API_VERSION} (needed for: ${(c.preview ?? []).join(', ')})`);
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
