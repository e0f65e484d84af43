import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../../shared/contract';
import type { ApplyReport } from '../../../../shared/contract/apim';
import { consumptionBreakerMessage } from '../../../../shared/deploy/preflight';
import { FAKE_SUB, okReport, samplePlan } from '../../store/deploy/fake-apim';
import { clickTestId as click, pickedDeployScreen, setupDeployScreen } from './deploy-screen-setup';

// Vitest runs without globals here, so Testing Library cannot register its own cleanup.
afterEach(cleanup);

/** A plan that would add a breaker to backend 'east'. */
const breakerPlan = (blockers: string[]) =>
  samplePlan({
    changes: [
      { kind: 'backend', id: 'east', action: 'update', fields: [{ path: 'backend.circuitBreaker.rules[0].tripDuration', before: null, after: 'PT1M' }], touches: ['circuitBreaker'], keeps: ['tls', 'proxy'] },
      { kind: 'backend', id: 'west', action: 'unchanged', fields: [] },
    ],
    blockers,
  });

async function planAndApply(report: ApplyReport) {
  const r = await pickedDeployScreen();
  await click('deploy-plan-button');
  await screen.findByTestId('plan-tree');
  r.apim.next.report = report;
  await click('deploy-apply');
  await click('deploy-confirm-apply');
  return r;
}

describe('deploy screen: what a plan lets you do', () => {
  it('a plan the service would refuse (a breaker on a Consumption tier) shows the service wording and apply stays disabled', async () => {
    const { apim } = await pickedDeployScreen();
    const refusal = `backend 'east': ${consumptionBreakerMessage('my-apim', 'Consumption')}`;
    apim.next.plan = breakerPlan([refusal]);
    await click('deploy-plan-button');
    const blockers = await screen.findByTestId('deploy-plan-blockers');
    expect(blockers.textContent).toContain('Apply is not possible yet');
    expect(blockers.textContent).toContain("backend 'east': circuitBreaker: Circuit breaker isn't supported in the Consumption tier (service my-apim has SKU Consumption)");
    // The change itself is still shown, with what apply would set and what it leaves.
    const change = screen.getByTestId('plan-change-backend-east');
    expect(within(change).getByTestId('plan-field').getAttribute('data-text')).toContain('backend.circuitBreaker.rules[0].tripDuration');
    expect(within(change).getByTestId('plan-touches').textContent).toBe('Apply sets only circuitBreaker; keeps tls, proxy as APIM has them.');
    expect(within(screen.getByTestId('plan-change-backend-west')).queryByTestId('plan-field')).toBeNull();
    const apply = screen.getByTestId('deploy-apply') as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    await click('deploy-apply');
    expect(screen.queryByTestId('deploy-confirm')).toBeNull();
    expect(apim.calls.some((c) => c.method === 'apply')).toBe(false);

    // The same change on a tier that has breakers: no refusal, apply is offered.
    apim.next.plan = breakerPlan([]);
    await click('deploy-plan-button');
    await waitFor(() => expect(screen.queryByTestId('deploy-plan-blockers')).toBeNull());
    expect((screen.getByTestId('deploy-apply') as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('deploy screen: the apply outcome in its three final states', () => {
  it('applied: names what was written, with the portal link, and no rollback', async () => {
    await planAndApply(okReport({ applied: [{ kind: 'backend', id: 'east', action: 'update' }, { kind: 'pool', id: 'p', action: 'update' }] }));
    const bar = await screen.findByTestId('deploy-applied');
    expect(bar.querySelector('[data-final]')!.getAttribute('data-final')).toBe('applied');
    expect(bar.textContent).toContain("Written: update backend 'east'; update pool 'p'.");
    expect(within(bar).getByTestId('deploy-portal-link').getAttribute('href')).toContain('/service/my-apim/overview');
    expect(screen.queryByTestId('deploy-rollback')).toBeNull();
  });

  it('restored: says the service is as it was before and lists what was put back, with nothing differing', async () => {
    await planAndApply(
      okReport({
        ok: false,
        outcome: 'failed',
        restored: true,
        final: 'restored',
        applied: [{ kind: 'backend', id: 'east', action: 'update' }],
        failed: { step: { kind: 'pool', id: 'p', action: 'update' }, message: "pool 'p' in service my-apim: the service failed while writing it (500)" },
        rollback: [{ step: { kind: 'backend', id: 'east', action: 'update' }, status: 'restored', message: '' }],
      }),
    );
    const bar = await screen.findByTestId('deploy-rollback');
    expect(bar.querySelector('[data-final]')!.getAttribute('data-final')).toBe('restored');
    expect(bar.textContent).toContain('my-apim is as it was before (restored)');
    expect(bar.textContent).not.toContain('only partly restored');
    expect(screen.getByTestId('deploy-rollback-list').textContent).toBe("update backend 'east': put back as it was");
    expect(screen.queryByTestId('deploy-differing-list')).toBeNull();
    expect(bar.textContent).not.toContain('Check these resources');
  });

  it('only partly restored: names every resource that differs and what could not be put back', async () => {
    await planAndApply(
      okReport({
        ok: false,
        outcome: 'failed',
        restored: false,
        final: 'only partly restored',
        applied: [{ kind: 'backend', id: 'w', action: 'create' }, { kind: 'pool', id: 'p', action: 'update' }],
        failed: { step: { kind: 'apiPolicy', id: 'api', action: 'update' }, message: 'the service failed (500)' },
        rollback: [
          { step: { kind: 'pool', id: 'p', action: 'update' }, status: 'failed', message: '' },
          { step: { kind: 'backend', id: 'w', action: 'create' }, status: 'failed', message: '' },
        ],
        differing: [
          { kind: 'pool', id: 'p', message: "pool 'p': services[1].weight is 5, was 1" },
          { kind: 'backend', id: 'w', message: "backend 'w': created by this apply and still there" },
        ],
      }),
    );
    const bar = await screen.findByTestId('deploy-rollback');
    expect(bar.querySelector('[data-final]')!.getAttribute('data-final')).toBe('only partly restored');
    expect(bar.textContent).toContain('Apply failed: my-apim is only partly restored');
    const differing = within(screen.getByTestId('deploy-differing-list')).getAllByRole('listitem').map((li) => li.textContent);
    expect(differing).toEqual(["pool 'p': services[1].weight is 5, was 1", "backend 'w': created by this apply and still there"]);
    expect(screen.getByTestId('deploy-rollback-list').textContent).toContain("create backend 'w': could NOT be put back");
    expect(bar.textContent).toContain('Check these resources in the portal');
    expect(within(bar).getByTestId('deploy-portal-link')).toBeTruthy();
  });
});

describe('deploy screen: a failed read', () => {
  // main/apim/errors.ts words a network failure of a read (code 'unavailable' at the contract); the screen must not turn it into a write's uncertainty.
  const readFailure = (what: string) =>
    new ContractError('unavailable', `${what}: the connection to https://management.azure.com failed (ECONNRESET); nothing was changed (this was a read); check the network and try again`);

  it('listing resource groups: says nothing was changed, never "may or may not have been made"', async () => {
    const { apim, s } = await setupDeployScreen();
    await act(async () => void (await s().signIn({ method: 'token', token: 't' })));
    apim.next.failure = readFailure(`resource groups of subscription ${FAKE_SUB}`);
    await act(async () => void (await s().chooseSubscription(FAKE_SUB)));
    const bar = await screen.findByTestId('deploy-error');
    expect(bar.textContent).toContain('List resource groups failed');
    expect(bar.textContent).toContain('nothing was changed (this was a read)');
    expect(bar.textContent).not.toMatch(/may or may not/);
  });

  it('planning (reading the service): the same, and no outcome or apply is offered', async () => {
    const { apim } = await pickedDeployScreen();
    apim.next.failure = readFailure('backends of service my-apim');
    await click('deploy-plan-button');
    const bar = await screen.findByTestId('deploy-error');
    expect(bar.textContent).toContain('Plan failed');
    expect(bar.textContent).not.toMatch(/may or may not/);
    expect(screen.queryByTestId('deploy-apply')).toBeNull();
    expect(screen.queryByTestId('deploy-rollback')).toBeNull();
  });
});
