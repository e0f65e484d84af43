import { describe, expect, it } from 'vitest';
import type { ResourceChange } from '../../shared/deploy';
import { intendedState } from './intended';

/*
 * The edges of a wired policy's intended state (mutation run: intended.ts kept its fallbacks unchecked). Apply
 * never meets them today — it refuses an update whose policy vanished since the plan, and read-state reads a
 * missing format as xml — so they are pinned here, on the function, for the next caller.
 */

const wired = { kind: 'apiPolicy', id: 'azure-openai', action: 'update', etag: '"e1"', body: { wiring: { backendId: 'pool-a' } } } as unknown as ResourceChange;

describe('intendedState of a wired policy', () => {
  it('over a service without a policy: a clear error, not a TypeError', () => {
    expect(() => intendedState(wired, { exists: false }, undefined)).toThrow(/^the policy has no <policies> element/);
  });

  it('over a policy the service reports without a format: written as xml', () => {
    const current = '<policies>\n  <inbound>\n    <base />\n  </inbound>\n</policies>';
    const out = intendedState(wired, { exists: true, etag: '"e1"', body: { value: current } }, undefined);
    expect(out.body?.format).toBe('xml');
    expect(String(out.body?.value)).toContain('<set-backend-service backend-id="pool-a" />');
  });
});
