import type { AccessToken, TokenCredential } from '@azure/core-auth';
import type { BackendAuth } from '../../shared/model';
import type { SecretSource } from '../secrets/secret-source';

/*
 * Backend credentials added to each forwarded request. api-key headers are resolved once per route table (a flat
 * [name, value] pair the hot path appends); managed-identity tokens are cached and refreshed before they expire,
 * so only the first request (or one after a long idle) waits for a token.
 */
export const COGNITIVE_SERVICES = 'https://cognitiveservices.azure.com';
const REFRESH_BEFORE_MS = 5 * 60_000;

export type HeaderPair = readonly [string, string];
export type CredentialHeader = HeaderPair | null | Promise<HeaderPair>;

export interface Credentials {
  /** The header to add for this backend: ready now, or after a token is fetched. */
  header(backendId: string): CredentialHeader;
  /** Problems found when resolving (missing secrets), for warning events. */
  problems: string[];
}

export type CredentialFactory = (clientId: string | undefined) => TokenCredential;

class TokenCache {
  private token: AccessToken | null = null;
  private pending: Promise<HeaderPair> | null = null;
  private pair: HeaderPair | null = null;

  constructor(
    private readonly credential: TokenCredential,
    private readonly scope: string,
    private readonly now: () => number,
  ) {}

  header(): CredentialHeader {
    const t = this.token;
    if (t && this.pair && t.expiresOnTimestamp - this.now() > REFRESH_BEFORE_MS) return this.pair;
    // Near expiry but still valid: answer with the old token and refresh in the background.
    if (t && this.pair && t.expiresOnTimestamp > this.now()) {
      void this.refresh().catch(() => undefined);
      return this.pair;
    }
    return this.refresh();
  }

  private refresh(): Promise<HeaderPair> {
    if (this.pending) return this.pending;
    this.pending = (async () => {
      try {
        const token = await this.credential.getToken(this.scope);
        if (!token) throw new Error(`no token for ${this.scope}`);
        this.token = token;
        this.pair = ['authorization', `Bearer ${token.token}`];
        return this.pair;
      } finally {
        this.pending = null;
      }
    })();
    return this.pending;
  }
}

/** Builds the credential lookup for one set of backends. Token caches are shared across reloads via `caches`. */
export function createCredentials(
  backends: Iterable<{ id: string; auth: BackendAuth }>,
  secrets: SecretSource,
  makeCredential: CredentialFactory,
  caches: Map<string, TokenCache>,
  now: () => number,
): Credentials {
  const byId = new Map<string, () => CredentialHeader>();
  const problems: string[] = [];
  for (const { id, auth } of backends) {
    if (auth.type === 'api-key') {
      const value = secrets.get(auth.secret);
      if (value === undefined) problems.push(`backend ${id}: secret "${auth.secret}" is not available; requests go without an api-key`);
      const pair: HeaderPair | null = value === undefined ? null : [auth.header ?? 'api-key', value];
      byId.set(id, () => pair);
    } else if (auth.type === 'managed-identity') {
      const scope = `${(auth.resource ?? COGNITIVE_SERVICES).replace(/\/+$/, '')}/.default`;
      const key = `${auth.clientId ?? ''}|${scope}`;
      let cache = caches.get(key);
      if (!cache) {
        cache = new TokenCache(makeCredential(auth.clientId), scope, now);
        caches.set(key, cache);
      }
      const c = cache;
      byId.set(id, () => c.header());
    } else {
      byId.set(id, () => null);
    }
  }
  return { header: (id) => byId.get(id)?.() ?? null, problems };
}

export type { TokenCache };
