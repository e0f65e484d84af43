import { desiredPool, desiredSingle, type Props, type ResourceChange } from '../../shared/deploy';
import { rewritePolicy, type DesiredWiring } from './policy/rewrite';
import type { Snapshot } from './resource-ops';

/*
 * What one step of a plan means for the service, computed from what the service holds right before the write:
 * the workspace's fields overlaid on it (backends), only Breakerboard's elements rewritten (policies). Apply
 * writes it; after any failure, apply and rollback compare the service with it to know whether a write landed.
 */

export function intendedState(step: ResourceChange, before: Snapshot, value: string | undefined): Snapshot {
  if (step.action === 'delete') return { exists: false };
  const set = (step.body ?? {}) as Props;
  const actual = before.exists ? before.body : undefined;
  switch (step.kind) {
    case 'backend':
      return { exists: true, body: desiredSingle(actual, set) };
    case 'pool':
      return { exists: true, body: desiredPool(actual, set) };
    case 'apiPolicy': {
      if (set.wiring === undefined) return { exists: true, body: { value: String(set.value ?? ''), format: (set.format as string | undefined) ?? 'xml' } };
      const current = String(actual?.value ?? '');
      // The emulator and APIM store `xml`; a `rawxml` policy is read back as xml, so the write says xml too.
      return { exists: true, body: { value: rewritePolicy(current, set.wiring as DesiredWiring), format: String(actual?.format ?? 'xml') } };
    }
    case 'namedValue':
      return { exists: true, body: set, value };
  }
}
