import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../../shared/contract';
import { FAKE_SUB, FAKE_TARGET, okReport, samplePlan } from '../../store/deploy/fake-apim';
import { clickTestId, pickedDeployScreen, setupDeployScreen } from './deploy-screen-setup';

// Vitest runs without globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

const setup = setupDeployScreen;
const pickedSetup = pickedDeployScreen;
const click = clickTestId;

describe('deploy screen', () => {
  it('signs in with a token, shows the account and tenant, and picks subscription → group → service by search', async () => {
    const { apim, s } = await setup();
    const user = userEvent.setup();
    await user.type(screen.getByTestId('deploy-signin-token'), 'my-token');
    await user.click(screen.getByTestId('deploy-signin'));
    await waitFor(() => expect(screen.getByTestId('deploy-account-user').textContent).toBe('ada@contoso.com'));
    expect(screen.getByTestId('deploy-account-tenant').textContent).toContain('tenant-1');
    expect(screen.queryByTestId('deploy-signin-token')).toBeNull(); // the token field is gone, its value with it
    expect(apim.calls.find((c) => c.method === 'signIn')!.input).toEqual({ method: 'token', token: 'my-token' });

    await user.click(screen.getByTestId('pick-subscription'));
    await user.click(await screen.findByTestId(`pick-subscription-option-${FAKE_SUB}`));
    await waitFor(() => expect(s().deploy.resourceGroups).toEqual(['rg-ai', 'rg-web']));
    // Searchable: typing narrows the list.
    await user.type(screen.getByTestId('pick-resource-group'), 'web');
    expect(screen.queryByTestId('pick-resource-group-option-rg-ai')).toBeNull();
    await user.clear(screen.getByTestId('pick-resource-group'));
    await user.type(screen.getByTestId('pick-resource-group'), 'ai');
    await user.click(await screen.findByTestId('pick-resource-group-option-rg-ai'));
    await waitFor(() => expect(s().deploy.services).toHaveLength(2));
    await user.click(screen.getByTestId('pick-service'));
    await user.click(await screen.findByTestId('pick-service-option-my-apim'));
    expect(s().workspace.value!.target).toEqual(FAKE_TARGET);
    expect(screen.getByTestId('deploy-target-note').textContent).toContain('my-apim');

    await user.click(screen.getByTestId('deploy-signout'));
    await waitFor(() => expect(screen.getByTestId('deploy-signin')).toBeTruthy());
  });

  it('imports and reports what was read and what was kept aside', async () => {
    await pickedSetup();
    await click('deploy-import-open');
    const report = await screen.findByTestId('deploy-import-report');
    expect(within(report).getByTestId('deploy-import-read').textContent).toContain('Read 1 backend (a), 1 pool (p), 0 APIs.');
    expect(within(report).getByTestId('deploy-import-kept').textContent).toContain('tls not modeled');
  });

  it('shows the plan as a tree with before → after, then applies after a confirmation naming the service', async () => {
    const { apim } = await pickedSetup();
    apim.next.plan = samplePlan({ warnings: [{ kind: 'pool', id: 'p', message: "member 'b' is about to be removed while it still takes traffic (about 9% of requests, priority 1, weight 1)" }] });
    await click('deploy-plan-button');
    const change = await screen.findByTestId('plan-change-pool-p');
    expect(change.getAttribute('data-action')).toBe('update');
    expect(within(change).getByTestId('plan-field').getAttribute('data-text')).toBe('pool.services[1].weight: 1 → 5');
    expect(screen.getByTestId('plan-change-backend-a').getAttribute('data-action')).toBe('unchanged');
    expect(screen.getByTestId('deploy-plan-summary').textContent).toBe('0 to create, 1 to update, 0 to delete, 2 unchanged — in my-apim');
    expect(screen.getByTestId('deploy-plan-warnings').textContent).toContain('still takes traffic');

    await click('deploy-apply');
    const dialog = await screen.findByTestId('deploy-confirm');
    expect(dialog.textContent).toContain('Apply 1 change to my-apim?');
    expect(dialog.textContent).toContain('resource group rg-ai');
    expect(apim.calls.some((c) => c.method === 'apply')).toBe(false); // nothing written before the confirmation
    apim.next.events = [{ type: 'step', index: 1, total: 1, step: { kind: 'pool', id: 'p', action: 'update' }, status: 'done' }];
    await click('deploy-confirm-apply');
    const applied = await screen.findByTestId('deploy-applied');
    expect(applied.textContent).toContain('Applied to my-apim');
    expect(screen.getByTestId('deploy-portal-link').getAttribute('href')).toBe(
      `https://portal.azure.com/#@tenant-1/resource/subscriptions/${FAKE_SUB}/resourceGroups/rg-ai/providers/Microsoft.ApiManagement/service/my-apim/overview`,
    );
    expect(screen.getByTestId('apply-step-pool-p').getAttribute('data-status')).toBe('done');
    expect(screen.getByTestId('deploy-export')).toBeTruthy();
    expect(screen.getByTestId('export-preview').textContent).toContain('Microsoft.ApiManagement/service/backends@');
  });

  it('on a change made since the plan (412) it explains and offers to plan again', async () => {
    const { apim } = await pickedSetup();
    await click('deploy-plan-button');
    await screen.findByTestId('plan-tree');
    apim.next.report = okReport({
      ok: false,
      outcome: 'changed-since-plan',
      applied: [],
      failed: { step: { kind: 'pool', id: 'p', action: 'update' }, message: "pool 'p' was changed by someone else since the plan (ETag mismatch, 412)" },
    });
    await click('deploy-apply');
    await click('deploy-confirm-apply');
    const bar = await screen.findByTestId('deploy-replan');
    expect(bar.textContent).toContain('my-apim was changed by someone else after this plan was made');
    expect(bar.textContent).toContain('Plan again to review the current state');
    const plansBefore = apim.calls.filter((c) => c.method === 'plan').length;
    await click('deploy-replan-button');
    expect(apim.calls.filter((c) => c.method === 'plan').length).toBe(plansBefore + 1);
    await waitFor(() => expect(screen.queryByTestId('deploy-replan')).toBeNull());
  });

  it('after a failure mid-apply it shows the rollback report in plain words', async () => {
    const { apim } = await pickedSetup();
    await click('deploy-plan-button');
    await screen.findByTestId('plan-tree');
    apim.next.report = okReport({
      ok: false,
      outcome: 'failed',
      applied: [{ kind: 'backend', id: 'a', action: 'update' }],
      failed: { step: { kind: 'pool', id: 'p', action: 'update' }, message: "pool 'p' in service my-apim: conflict (409): Injected 409.; try again shortly" },
      rollback: [
        { step: { kind: 'pool', id: 'p', action: 'update' }, status: 'unchanged', message: '' },
        { step: { kind: 'backend', id: 'a', action: 'update' }, status: 'restored', message: '' },
      ],
    });
    await click('deploy-apply');
    await click('deploy-confirm-apply');
    const bar = await screen.findByTestId('deploy-rollback');
    expect(bar.textContent).toContain('Apply failed and was rolled back: my-apim is as it was before');
    expect(screen.getByTestId('deploy-rollback-cause').textContent).toContain("update pool 'p' failed");
    expect(screen.getByTestId('deploy-rollback-list').textContent).toContain("update backend 'a': put back as it was");
    expect(screen.queryByTestId('deploy-export')).toBeNull();
  });

  it('says which fields apply touches and that the rest stays; marks preview writes', async () => {
    const { apim } = await pickedSetup();
    apim.next.plan = samplePlan({
      changes: [{ kind: 'pool', id: 'p', action: 'update', fields: [{ path: 'pool.sessionAffinity.sessionId.name', before: 'a', after: 'b' }], touches: ['pool.services', 'pool.sessionAffinity'], keeps: ['proxy'], preview: ['pool.sessionAffinity'], apiVersion: '2025-03-01-preview' }],
    });
    await click('deploy-plan-button');
    const change = await screen.findByTestId('plan-change-pool-p');
    expect(within(change).getByTestId('plan-preview').textContent).toBe('preview');
    expect(within(change).getByTestId('plan-touches').textContent).toBe('Apply sets only pool.services, pool.sessionAffinity; keeps proxy as APIM has them (preview api-version 2025-03-01-preview: pool.sessionAffinity).');
  });

  it('when the rollback could not put everything back it says "only partly restored" and names exactly what differs', async () => {
    const { apim } = await pickedSetup();
    await click('deploy-plan-button');
    await screen.findByTestId('plan-tree');
    apim.next.report = okReport({
      ok: false,
      outcome: 'failed',
      restored: false,
      final: 'only partly restored',
      differing: [{ kind: 'backend', id: 'w', message: "backend 'w': created by this apply and still there" }],
      failed: { step: { kind: 'apiPolicy', id: 'api', action: 'update' }, message: 'the service failed (500)' },
      rollback: [{ step: { kind: 'backend', id: 'w', action: 'create' }, status: 'failed', message: '' }],
    });
    await click('deploy-apply');
    await click('deploy-confirm-apply');
    const bar = await screen.findByTestId('deploy-rollback');
    expect(bar.textContent).toContain('Apply failed: my-apim is only partly restored');
    expect(screen.getByTestId('deploy-differing-list').textContent).toBe("backend 'w': created by this apply and still there");
  });

  it('shows an Azure refusal in words with the field it concerns', async () => {
    const { apim } = await pickedSetup();
    apim.next.failure = new ContractError('forbidden', "no access to backends of service my-apim (403 AuthorizationFailed): the signed-in account needs a role such as \"API Management Service Contributor\" on the service");
    await click('deploy-plan-button');
    const bar = await screen.findByTestId('deploy-error');
    expect(bar.textContent).toContain('Plan: no permission');
    apim.next.failure = new ContractError('invalid-workspace', 'fix the workspace before planning: pools.p.services[0].weight: must be between 0 and 100', 'pools.p.services[0].weight');
    await click('deploy-plan-button');
    await waitFor(() => expect(screen.getByTestId('deploy-error-field').textContent).toContain('pools.p.services[0].weight'));
  });

  it('changes the endpoint setting (sovereign clouds)', async () => {
    const { apim } = await setup();
    const input = screen.getByTestId('deploy-endpoint');
    fireEvent.change(input, { target: { value: 'https://management.usgovcloudapi.net' } });
    await click('deploy-endpoint-save');
    expect(apim.calls.find((c) => c.method === 'setSettings')!.input).toEqual({ endpoint: 'https://management.usgovcloudapi.net' });
  });
});
