import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { describe, expect, it } from 'vitest';
import type { BackendAuth } from '../../shared/model';
import { COGNITIVE_SERVICES, createCredentials, type TokenCache } from './credentials';

/*
 * The credential each backend gets: the api-key header from a named secret (the value never in a problem text),
 * managed-identity tokens for the right scope, cached per client id and scope across reloads, refreshed in the
 * background during their last five minutes and awaited once expired.
 */

const MIN = 60_000;

/** A token credential that records each request and answers with numbered tokens expiring at `expires`. */
function identity(expires: () => number, answer: (n: number) => AccessToken | null = (n) => ({ token: `t${n}`, expiresOnTimestamp: expires() })) {
  const asked: string[] = [];
  const credential: TokenCredential = {
    getToken: async (scope) => {
      asked.push(String(scope));
      return answer(asked.length);
    },
  };
  return { credential, asked };
}

function setup(backends: { id: string; auth: BackendAuth }[], secrets: Record<string, string> = {}) {
  let clock = 0;
  let expires = 60 * MIN;
  const made: (string | undefined)[] = [];
  const ids: ReturnType<typeof identity>[] = [];
  const caches = new Map<string, TokenCache>();
  const factory = (clientId: string | undefined) => {
    made.push(clientId);
    const id = identity(() => expires);
    ids.push(id);
    return id.credential;
  };
  const build = () => createCredentials(backends, { get: (n) => secrets[n] }, factory, caches, () => clock);
  return {
    build,
    made,
    ids,
    setClock: (t: number) => (clock = t),
    setExpiry: (t: number) => (expires = t),
  };
}

describe('api-key backends', () => {
  it('get the named secret under the configured header; a missing secret is a problem that names no value', () => {
    const s = setup(
      [
        { id: 'a', auth: { type: 'api-key', secret: 'key-a' } },
        { id: 'b', auth: { type: 'api-key', secret: 'key-b', header: 'x-key' } },
        { id: 'c', auth: { type: 'api-key', secret: 'missing' } },
        { id: 'd', auth: { type: 'none' } },
      ],
      { 'key-a': 'sekret-a', 'key-b': 'sekret-b' },
    );
    const c = s.build();
    expect(c.header('a')).toEqual(['api-key', 'sekret-a']);
    expect(c.header('b')).toEqual(['x-key', 'sekret-b']);
    expect(c.header('c')).toBeNull();
    expect(c.header('d')).toBeNull();
    expect(c.header('unknown')).toBeNull();
    expect(c.problems).toEqual(['backend c: secret "missing" is not available; requests go without an api-key']);
  });
});

describe('managed-identity backends', () => {
  it('ask for the resource scope (trailing slashes dropped), one credential per client id and scope', async () => {
    const s = setup([
      { id: 'default', auth: { type: 'managed-identity' } },
      { id: 'same', auth: { type: 'managed-identity', resource: `${COGNITIVE_SERVICES}//` } },
      { id: 'other', auth: { type: 'managed-identity', resource: 'https://ml.azure.com/' } },
      { id: 'client', auth: { type: 'managed-identity', clientId: 'c-1' } },
      { id: 'client2', auth: { type: 'managed-identity', clientId: 'c-2' } },
    ]);
    const c = s.build();
    expect(c.problems).toEqual([]);
    expect(await c.header('default')).toEqual(['authorization', 'Bearer t1']);
    expect(await c.header('same')).toEqual(['authorization', 'Bearer t1']);
    expect(await c.header('other')).toEqual(['authorization', 'Bearer t1']);
    expect(await c.header('client')).toEqual(['authorization', 'Bearer t1']);
    expect(await c.header('client2')).toEqual(['authorization', 'Bearer t1']);
    // default and same share one cache; other (a second scope) and each client id have their own.
    expect(s.made).toEqual([undefined, undefined, 'c-1', 'c-2']);
    const cs = 'https://cognitiveservices.azure.com/.default';
    expect(s.ids.map((i) => i.asked)).toEqual([[cs], ['https://ml.azure.com/.default'], [cs], [cs]]);
  });

  it('keep their token across a reload of the routes', async () => {
    const s = setup([{ id: 'mi', auth: { type: 'managed-identity', clientId: 'c-1' } }]);
    expect(await s.build().header('mi')).toEqual(['authorization', 'Bearer t1']);
    expect(s.build().header('mi')).toEqual(['authorization', 'Bearer t1']);
    expect(s.made).toEqual(['c-1']);
  });

  it('use the token until five minutes before expiry, then refresh in the background, and wait once expired', async () => {
    const s = setup([{ id: 'mi', auth: { type: 'managed-identity' } }]);
    const c = s.build();
    const asked = () => s.ids[0]!.asked.length;
    expect(await c.header('mi')).toEqual(['authorization', 'Bearer t1']);
    // Token t1 expires at 60 min. Just over five minutes left: the cached pair, nothing asked.
    s.setClock(55 * MIN - 1);
    expect(c.header('mi')).toEqual(['authorization', 'Bearer t1']);
    expect(asked()).toBe(1);
    // Exactly five minutes left: still the old pair, answered at once, and a refresh starts.
    s.setClock(55 * MIN);
    s.setExpiry(120 * MIN);
    expect(c.header('mi')).toEqual(['authorization', 'Bearer t1']);
    expect(asked()).toBe(2);
    // The background refresh settles within this turn of the event loop.
    await new Promise((r) => setImmediate(r));
    expect(c.header('mi')).toEqual(['authorization', 'Bearer t2']);
    // t2 expires at 120 min: at that instant it is expired, the request waits for a new token.
    s.setClock(120 * MIN);
    s.setExpiry(180 * MIN);
    const waiting = c.header('mi');
    expect(waiting).toBeInstanceOf(Promise);
    expect(await waiting).toEqual(['authorization', 'Bearer t3']);
  });

  it('a credential that answers no token fails the request with the scope named', async () => {
    const caches = new Map<string, TokenCache>();
    const c = createCredentials([{ id: 'mi', auth: { type: 'managed-identity', resource: 'https://r.example' } }], { get: () => undefined }, () => identity(() => 0, () => null).credential, caches, () => 0);
    await expect(c.header('mi')).rejects.toThrow(/^no token for https:\/\/r\.example\/\.default$/);
  });
});
