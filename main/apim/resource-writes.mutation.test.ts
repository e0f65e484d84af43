import { describe, expect, it } from 'vitest';
import type { ArmConnection } from './client';
import { deleteResource, writeResource } from './resource-ops';

/*
 * The write preconditions of apply and rollback for the kinds that go through the SDK: an update or delete must
 * carry the ETag it was planned against as If-Match (else someone else's change is overwritten), a create none.
 * The ARM-emulator suites drive backends and pools; these cover named values and API policies (mutation run:
 * the named value's If-Match could be dropped unnoticed).
 */

const T = { subscription: 's', resourceGroup: 'rg', service: 'svc' };

/** `answerEtag` null: the long-running operation's final answer carries no ETag. */
function fakeConn(answerEtag: string | null = '"new"') {
  const calls: { op: string; args: unknown[] }[] = [];
  const rec = (op: string, result: unknown) => async (...args: unknown[]) => {
    calls.push({ op, args });
    return result;
  };
  const sdk = {
    namedValue: {
      beginCreateOrUpdateAndWait: rec('nv.put', { eTag: answerEtag ?? undefined }),
      getEntityTag: rec('nv.etag', { eTag: '"asked"' }),
      delete: rec('nv.delete', undefined),
    },
    apiPolicy: { createOrUpdate: rec('policy.put', { eTag: answerEtag ?? undefined }), delete: rec('policy.delete', undefined) },
    backend: { delete: rec('backend.delete', undefined) },
  };
  const conn = { sdk, endpoint: 'http://127.0.0.1:1', insecure: true } as unknown as ArmConnection;
  return { conn, calls };
}

describe('writeResource through the SDK', () => {
  it('a named value update carries If-Match; a create carries none; the display name falls back to the id', async () => {
    const { conn, calls } = fakeConn();
    expect(await writeResource(conn, T, { kind: 'namedValue', id: 'k' }, { secret: true }, '"e1"', 'v')).toBe('"new"');
    const [, , id, body, opts] = calls[0]!.args as [string, string, string, Record<string, unknown>, Record<string, unknown>];
    expect(id).toBe('k');
    expect(body).toEqual({ secret: true, displayName: 'k', value: 'v' });
    expect(opts.ifMatch).toBe('"e1"');

    await writeResource(conn, T, { kind: 'namedValue', id: 'k2' }, { displayName: 'Shown' }, undefined, 'v');
    const [, , , body2, opts2] = calls[1]!.args as [string, string, string, Record<string, unknown>, Record<string, unknown>];
    expect(body2.displayName).toBe('Shown');
    expect('ifMatch' in opts2).toBe(false);
  });

  it('asks for the ETag when the long-running answer has none, and not otherwise', async () => {
    const without = fakeConn(null);
    expect(await writeResource(without.conn, T, { kind: 'namedValue', id: 'k' }, {}, '"e1"', 'v')).toBe('"asked"');
    const withTag = fakeConn('"new"');
    await writeResource(withTag.conn, T, { kind: 'namedValue', id: 'k' }, {}, '"e1"', 'v');
    expect(withTag.calls.map((c) => c.op)).toEqual(['nv.put']);
  });

  it('a policy update carries If-Match and defaults its format to xml', async () => {
    const { conn, calls } = fakeConn();
    await writeResource(conn, T, { kind: 'apiPolicy', id: 'a' }, { value: '<p/>' }, '"e1"');
    expect(calls[0]!.args.slice(2)).toEqual(['a', 'policy', { value: '<p/>', format: 'xml' }, { ifMatch: '"e1"' }]);
  });
});

describe('deleteResource', () => {
  it('passes the ETag as If-Match for every kind', async () => {
    const { conn, calls } = fakeConn();
    await deleteResource(conn, T, { kind: 'namedValue', id: 'k' }, '"e1"');
    await deleteResource(conn, T, { kind: 'backend', id: 'b' }, '"e2"');
    await deleteResource(conn, T, { kind: 'pool', id: 'p' }, '"e3"');
    await deleteResource(conn, T, { kind: 'apiPolicy', id: 'a' }, '"e4"');
    expect(calls.map((c) => [c.op, ...c.args])).toEqual([
      ['nv.delete', 'rg', 'svc', 'k', '"e1"'],
      ['backend.delete', 'rg', 'svc', 'b', '"e2"'],
      ['backend.delete', 'rg', 'svc', 'p', '"e3"'],
      ['policy.delete', 'rg', 'svc', 'a', 'policy', '"e4"'],
    ]);
  });
});
