import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan, importService } from '../main/apim';
import { formatPlan } from '../shared/deploy';
import { NO_RESPONSE_SUMMARY, noResponseChoose } from '../shared/export';
import { validateWorkspace, type Workspace } from '../shared/model';
import { apimSpecMissing } from './support/apim-spec';
import { secretsFrom, startDeployFixture, type DeployFixture } from './support/arm-emulator/fixtures';
import { LAB_POLICY, SHAPES } from './support/real-world/shapes';

/*
 * F-RETRY-8 through the ARM emulator: a service set up like the AI-Gateway lab (its policy has its own on-error
 * handler) is imported, planned and applied. Apply adds the on-error mapping of a backend without response after the
 * lab's handler and changes nothing else it does not own; import knows the mapping as Breakerboard's; a second
 * apply writes nothing.
 */

if (apimSpecMissing) console.warn(`skipping on-error apply tests: ${apimSpecMissing}`);

const shape = SHAPES[0]!;
const secrets = secretsFrom({});
const policyText = (f: DeployFixture) => String(f.svc.apis.get('azure-openai')!.policy!.properties.value);

function valid(value: unknown): Workspace {
  const r = validateWorkspace(value);
  expect(r.errors).toEqual([]);
  if (!r.ok) throw new Error('the imported workspace does not validate');
  return r.workspace;
}

describe.skipIf(Boolean(apimSpecMissing))('the on-error mapping against a real-world policy with its own on-error content', () => {
  let f: DeployFixture;
  beforeEach(async () => {
    f = await startDeployFixture();
    shape.seed(f.em.state, f.svc);
    f.em.state.putPolicy(f.svc, 'azure-openai', LAB_POLICY(shape.pool));
  });
  afterEach(() => f.em.close());

  it('import keeps the lab handler aside, apply adds ours after it and removes nothing, a second apply writes nothing', async () => {
    const first = await importService(f.conn, f.target);
    const aside = first.notes.filter((n) => n.startsWith('apis.azure-openai:'));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/: inbound: set-header; on-error: choose$/);
    const ws = valid(first.workspace);

    const plan = await buildPlan(f.conn, f.target, ws, { secrets });
    const changed = plan.changes.filter((c) => c.action !== 'unchanged');
    expect(changed.map((c) => [c.kind, c.id])).toEqual([['apiPolicy', 'azure-openai']]);
    expect(changed[0]!.fields).toEqual([
      { path: 'on-error', after: NO_RESPONSE_SUMMARY },
      { path: 'retry.set-backend-service', after: 'inside' },
    ]);
    expect(formatPlan(plan).join('\n')).toContain('on-error: the 502 / 504 answer for no response');

    const before = policyText(f);
    expect((await applyPlan(f.conn, f.target, plan, { secrets })).final).toBe('applied');
    const after = policyText(f);
    // Our two insertions taken out, the text is the lab's, byte for byte: its own 503 handler included.
    const ours = `\n        ${noResponseChoose('        ')}`;
    expect(after).toContain(`</choose>${ours}\n    </on-error>`);
    expect(after.replace(ours, '').replace(/\n[ \t]*<set-backend-service backend-id="[^"]*" \/>(?=\s*<forward-request)/, '')).toBe(before);

    const again = await buildPlan(f.conn, f.target, ws, { secrets });
    expect(again.changes.filter((c) => c.action !== 'unchanged')).toEqual([]);
    const start = f.em.requests.length;
    expect((await applyPlan(f.conn, f.target, again, { secrets })).final).toBe('applied');
    expect(f.em.requests.slice(start).filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    expect(policyText(f)).toBe(after);

    // Read back: the same workspace, and the same notes (the lab's handler, not ours).
    const second = await importService(f.conn, f.target);
    expect(second.workspace).toEqual(first.workspace);
    expect(second.notes).toEqual(first.notes);
  });
});
