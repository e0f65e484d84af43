import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RG, startDeployFixture, SUB, SVC, type DeployFixture } from '../../test/support/arm-emulator/fixtures';
import type { ArmConnection } from './client';
import { listApis, listResourceGroups, listServices, listSubscriptions } from './discovery';

/*
 * The pickers' lists at their edges: a failed list names which list in the message the user reads (through the
 * real SDK against the ARM emulator), a subscription shows its display name, a nextLink that never ends stops
 * after 1000 pages instead of hanging the picker, and items ARM sends without a field come out as ''/undefined.
 */

let f: DeployFixture;
beforeAll(async () => {
  f = await startDeployFixture();
});
afterAll(() => f.em.close());

async function message(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the list to fail');
}
const ROLE = 'the signed-in account needs a role such as "API Management Service Contributor" on the service';
const READ_SUB = 'the signed-in account needs read access (a role such as "Reader") on the subscription';
const READ_RG = 'the signed-in account needs read access (a role such as "Reader") on the resource group';
/** The next GET whose path contains `path` answers 403, as ARM does without a role on the scope. */
const forbidNext = (path: string) => f.em.faults.add({ on: 'read', pathIncludes: path, action: { kind: 'status', status: 403, code: 'AuthorizationFailed', message: 'no role' } });

describe('a failed list names the list', () => {
  it('subscriptions, resource groups, services (per group and all), APIs', async () => {
    forbidNext('/subscriptions');
    expect(await message(listSubscriptions(f.conn))).toBe(`no access to the subscription list (403 AuthorizationFailed): ${READ_SUB}`);
    forbidNext('/resourcegroups');
    expect(await message(listResourceGroups(f.conn, SUB))).toBe(`no access to the resource groups of subscription ${SUB} (403 AuthorizationFailed): ${READ_SUB}`);
    forbidNext('/providers/Microsoft.ApiManagement/service');
    expect(await message(listServices(f.conn, RG))).toBe(`no access to the APIM services of resource group ${RG} (403 AuthorizationFailed): ${READ_RG}`);
    forbidNext('/providers/Microsoft.ApiManagement/service');
    expect(await message(listServices(f.conn))).toBe(`no access to the APIM services of the subscription (403 AuthorizationFailed): ${READ_SUB}`);
    forbidNext('/apis');
    expect(await message(listApis(f.conn, RG, SVC))).toBe(`no access to the APIs of service ${SVC} (403 AuthorizationFailed): ${ROLE}`);
  });
});

describe('listSubscriptions', () => {
  it('shows the display name, and the id when there is none', async () => {
    const other = '99999999-2222-3333-4444-555555555555';
    f.em.state.subscriptions.push({ subscriptionId: other, displayName: undefined as unknown as string, tenantId: 't' });
    expect(await listSubscriptions(f.conn)).toEqual([
      { id: SUB, name: 'Subscription 1', tenantId: '72f988bf-0000-0000-0000-000000000000' },
      { id: other, name: other, tenantId: 't' },
    ]);
    f.em.state.subscriptions.pop();
  });

  it('follows a nextLink that never ends for 1000 pages, then stops', async () => {
    let gets = 0;
    const conn = {
      getJson: async (path: string) => {
        gets += 1;
        if (gets > 1001) throw new Error('runaway paging');
        return { value: [{ subscriptionId: `s${gets}` }], nextLink: path };
      },
    } as unknown as ArmConnection;
    const subs = await listSubscriptions(conn);
    expect(gets).toBe(1000);
    expect(subs.map((s) => s.id)).toEqual(Array.from({ length: 1000 }, (_, i) => `s${i + 1}`));
  });
});

describe('items without a field', () => {
  async function* items<T>(...list: T[]) {
    yield* list;
  }
  const sdkWith = (services: object[], apis: object[]) =>
    ({ endpoint: 'http://127.0.0.1:1', sdk: { apiManagementService: { list: () => items(...services) }, api: { listByService: () => items(...apis) } } }) as unknown as ArmConnection;

  it('a service without name, id or sku, an API without name or path', async () => {
    const conn = sdkWith([{ location: 'eastus' }], [{ displayName: 'Chat' }]);
    expect(await listServices(conn)).toEqual([{ name: '', resourceGroup: '', location: 'eastus', sku: undefined }]);
    expect(await listApis(conn, RG, SVC)).toEqual([{ id: '', path: '', displayName: 'Chat' }]);
  });

  it('the resource group comes from the id, in any case', async () => {
    const conn = sdkWith([{ name: 'a', id: '/subscriptions/x/resourcegroups/Rg-One/providers/Microsoft.ApiManagement/service/a', sku: { name: 'Premium' } }], []);
    expect(await listServices(conn)).toEqual([{ name: 'a', resourceGroup: 'Rg-One', location: undefined, sku: 'Premium' }]);
  });
});
