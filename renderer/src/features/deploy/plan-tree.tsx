import { Badge, Caption1, makeStyles, tokens, Tree, TreeItem, TreeItemLayout, type BadgeProps } from '@fluentui/react-components';
import type { FieldDiff } from '../../../../shared/deploy/plan-schema';
import type { PlanChangeView, PlanView } from '../../../../shared/contract/apim';
import { KIND_LABEL } from '../../../../shared/deploy/apply-events';
import { formatValue } from '../../../../shared/deploy/diff';
import { planTree } from '../../store/deploy/selectors';

/*
 * The plan as a tree: resource kinds in apply order, each resource with its action, each changed field with
 * before → after. Changed resources start open; unchanged ones are listed so the reader sees what was checked.
 */
const useStyles = makeStyles({
  field: { fontFamily: tokens.fontFamilyMonospace, fontSize: tokens.fontSizeBase200, overflowWrap: 'anywhere' },
  arrow: { color: tokens.colorNeutralForeground3, padding: `0 ${tokens.spacingHorizontalXS}` },
  before: { color: tokens.colorPaletteRedForeground1 },
  after: { color: tokens.colorPaletteGreenForeground1 },
  note: { color: tokens.colorNeutralForeground3 },
  label: { display: 'inline-flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
});

export const ACTION_BADGE: Record<PlanChangeView['action'], { color: BadgeProps['color']; label: string }> = {
  create: { color: 'success', label: 'create' },
  update: { color: 'warning', label: 'update' },
  delete: { color: 'danger', label: 'delete' },
  unchanged: { color: 'informative', label: 'unchanged' },
};

/** `path: before → after` in words a reviewer reads at a glance; secret values are never in a plan. */
export function fieldText(f: FieldDiff): string {
  if (f.secret) return `${f.path}: (secret value differs)`;
  if (f.before === undefined) return `${f.path}: (none) → ${formatValue(f.after)}`;
  if (f.after === undefined) return `${f.path}: ${formatValue(f.before)} → (removed)`;
  return `${f.path}: ${formatValue(f.before)} → ${formatValue(f.after)}`;
}

function FieldLine({ f }: { f: FieldDiff }) {
  const styles = useStyles();
  if (f.secret || f.before === undefined || f.after === undefined) return <span className={styles.field}>{fieldText(f)}</span>;
  return (
    <span className={styles.field} aria-label={fieldText(f)}>
      {f.path}: <span className={styles.before}>{formatValue(f.before)}</span>
      <span className={styles.arrow}>→</span>
      <span className={styles.after}>{formatValue(f.after)}</span>
    </span>
  );
}

/** "Apply sets only …; the rest stays as APIM has it" (plan.ts fills `touches` and `keeps`). */
export const touchesText = (c: PlanChangeView) =>
  `Apply sets only ${c.touches!.join(', ')}; ${c.keeps && c.keeps.length > 0 ? `keeps ${c.keeps.join(', ')} as APIM has them` : 'the rest stays as APIM has it'}${c.preview && c.preview.length > 0 ? ` (preview api-version ${c.apiVersion ?? ''}: ${c.preview.join(', ')})` : ''}.`;

const changeKey = (c: PlanChangeView) => `${c.kind}:${c.id}`;

export function PlanTree({ plan }: { plan: PlanView }) {
  const styles = useStyles();
  const groups = planTree(plan);
  const open = [...groups.map((g) => g.kind), ...plan.changes.filter((c) => c.fields.length > 0).map(changeKey)];
  return (
    <Tree aria-label={`Plan for ${plan.target.service}`} defaultOpenItems={open} data-testid="plan-tree">
      {groups.map((g) => (
        <TreeItem key={g.kind} itemType="branch" value={g.kind}>
          <TreeItemLayout>
            {g.title} <Caption1 className={styles.note}>({g.changes.length})</Caption1>
          </TreeItemLayout>
          <Tree>
            {g.changes.map((c) => (
              <TreeItem key={changeKey(c)} itemType={c.fields.length > 0 ? 'branch' : 'leaf'} value={changeKey(c)} data-testid={`plan-change-${c.kind}-${c.id}`} data-action={c.action}>
                <TreeItemLayout>
                  <span className={styles.label}>
                    <Badge appearance="tint" color={ACTION_BADGE[c.action].color} data-testid="plan-action">
                      {ACTION_BADGE[c.action].label}
                    </Badge>
                    <span>
                      {KIND_LABEL[c.kind]} <strong>{c.id}</strong>
                    </span>
                    {c.note && <Caption1 className={styles.note}>{c.note}</Caption1>}
                    {c.preview && c.preview.length > 0 && (
                      <Badge appearance="outline" color="important" data-testid="plan-preview" title={`written with the preview api-version ${c.apiVersion ?? ''} for ${c.preview.join(', ')}`}>
                        preview
                      </Badge>
                    )}
                  </span>
                </TreeItemLayout>
                {c.fields.length > 0 && (
                  <Tree>
                    {c.fields.map((f, i) => (
                      <TreeItem key={i} itemType="leaf" value={`${changeKey(c)}:${f.path}`} data-testid="plan-field" data-text={fieldText(f)}>
                        <TreeItemLayout>
                          <FieldLine f={f} />
                        </TreeItemLayout>
                      </TreeItem>
                    ))}
                    {c.touches && c.touches.length > 0 && (
                      <TreeItem itemType="leaf" value={`${changeKey(c)}:touches`} data-testid="plan-touches">
                        <TreeItemLayout>
                          <Caption1 className={styles.note}>{touchesText(c)}</Caption1>
                        </TreeItemLayout>
                      </TreeItem>
                    )}
                  </Tree>
                )}
              </TreeItem>
            ))}
          </Tree>
        </TreeItem>
      ))}
    </Tree>
  );
}
