import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, buildPlan } from '../main/apim';
import type { ApplyEvent, ApplyResult } from '../shared/deploy';
import type { Workspace } from '../shared/model';
import { apimSpecMissing } from './support/apim-spec';
import type { FaultRule } from './support/arm-emulator/faults';
import { demoSecrets, demoWorkspace, startDemoDeployed, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * Reads that fail during and after a rollback (issue 19 item 7: the last gaps of main/apim/rollback.ts and
 * apply.ts). A read fault is armed when the apply reports the event just before the read it aims at, so it meets
 * that one GET and no other. The real SDK runs against the ARM emulator; the reports are asserted word for word.
 */

if (apimSpecMissing) console.warn(`skipping rollback-fault scenarios: ${apimSpecMissing}`);

const secrets = demoSecrets();
/** A read answered 403: the SDK does not retry it, so exactly one GET fails. */
const refuseRead = (where: Partial<FaultRule>): FaultRule => ({ on: 'read', method: 'GET', ...where, action: { kind: 'status', status: 403, code: 'AuthorizationFailed', message: 'read refused' } });

describe.skipIf(Boolean(apimSpecMissing))('rollback: reads that fail while undoing and while checking', () => {
  let f: DeployFixture;
  beforeEach(async () => void (f = await startDemoDeployed()));
  afterEach(() => f.em.close());

  async function applyWith(ws: Workspace, onEvent: (e: ApplyEvent) => void): Promise<{ result: ApplyResult; events: ApplyEvent[] }> {
    const plan = await buildPlan(f.conn, f.target, ws, { secrets });
    const events: ApplyEvent[] = [];
    const result = await applyPlan(f.conn, f.target, plan, { secrets, sleep: async () => undefined, onEvent: (e) => (events.push(e), onEvent(e)) });
    return { result, events };
  }
  const rollbackLines = (r: ApplyResult) => r.rollback.map((x) => `${x.status}: ${x.message}`);
  const movedEastus = () => demoWorkspace((w) => {
    w.backends['aoai-eastus']!.description = 'PTU, moved';
    w.pools!.mybackendpool!.services[0]!.weight = 7;
  });

  it('listing the backends fails in the in-use check: the created backend is not deleted, the report names the list, the finish event is not ok', async () => {
    const ws = demoWorkspace((w) => {
      w.backends['aoai-westus'] = { ...w.backends['aoai-uksouth']!, title: 'openai-westus', url: 'https://westus-aoai.openai.azure.com/openai' };
      w.pools!.mybackendpool!.services.push({ backend: 'aoai-westus', priority: 2, weight: 1 });
    });
    f.em.faults.failNthWrite(2); // the pool's PUT
    const { result, events } = await applyWith(ws, (e) => {
      if (e.type === 'step' && e.status === 'failed') f.em.faults.add(refuseRead({ pathEndsWith: '/backends' }));
    });
    expect(f.svc.backends.has('aoai-westus')).toBe(true);
    expect(f.em.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    const lines = rollbackLines(result);
    expect(lines[0]).toBe("unchanged: update pool 'mybackendpool': holds what it held before; nothing to undo");
    expect(lines[1]).toBe(
      "failed: create backend 'aoai-westus': could not be undone: no access to the backends of service my-apim (resource group rg-ai) (403 AuthorizationFailed): the signed-in account needs a role such as \"API Management Service Contributor\" on the service",
    );
    expect(result.differing.map((d) => d.message)).toEqual(["backend 'aoai-westus': created by this apply and still there"]);
    const finish = events.filter((e) => e.type === 'finish');
    expect(finish).toEqual([{ type: 'finish', ok: false, message: result.message }]);
  });

  it('a resource that cannot be read again after the rollback: its state is reported unknown', async () => {
    f.em.faults.failNthWrite(2); // the pool's PUT; aoai-eastus is written and then restored by the rollback
    const { result } = await applyWith(movedEastus(), (e) => {
      // aoai-eastus is the last the rollback handles: the next GET of it is the final check's.
      if (e.type === 'rollback' && e.step.id === 'aoai-eastus' && e.status === 'done') f.em.faults.add(refuseRead({ pathIncludes: '/backends/aoai-eastus' }));
    });
    expect(rollbackLines(result)[1]).toBe("restored: update backend 'aoai-eastus': restored to its state before the apply");
    expect(result.final).toBe('only partly restored');
    expect(result.differing).toHaveLength(1);
    expect(result.differing[0]!.message).toBe(
      "backend 'aoai-eastus': could not be read again (no access to backend 'aoai-eastus' in service my-apim (resource group rg-ai) (403 AuthorizationFailed): the signed-in account needs a role such as \"API Management Service Contributor\" on the service); its state is unknown",
    );
    expect(result.message).toContain(`only partly restored: these resources of ${f.target.service} differ from before the apply (check them in the portal):\n  backend 'aoai-eastus': could not be read again (`);
  });

  it('a rollback write that landed but could not be confirmed: "nothing was rolled back", though the service holds the old state', async () => {
    const start = f.em.state.snapshot(f.svc);
    // The pool's PUT fails; the rollback's PUT of aoai-eastus lands with every answer lost, and its re-read is refused.
    f.em.faults.failNthWrite(2).add({ on: 'write', method: 'PUT', pathIncludes: '/backends/aoai-eastus', nth: 2, times: 20, sticky: true, action: { kind: 'drop', when: 'after' } });
    const { result } = await applyWith(movedEastus(), (e) => {
      // The rollback's first GET of aoai-eastus passes; the second, after the lost answer, is refused.
      if (e.type === 'rollback' && e.step.id === 'aoai-eastus' && e.status === 'running') f.em.faults.add({ ...refuseRead({ pathIncludes: '/backends/aoai-eastus' }), nth: 2 });
    });
    expect(rollbackLines(result)[1]).toMatch(/^failed: update backend 'aoai-eastus': could not be undone: /);
    expect(f.em.state.snapshot(f.svc)).toEqual(start);
    expect(result.final).toBe('restored');
    // A write landed (the apply's and the rollback's), so the report must not claim nothing had been changed.
    expect(result.message.split('\n').slice(1)).toEqual(['nothing was rolled back.', `restored: ${f.target.service} holds what it held before the apply (read again to check).`]);
  });
});
