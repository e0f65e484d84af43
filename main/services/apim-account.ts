import type { TokenCredential } from '@azure/core-auth';
import { AzureCliCredential, DeviceCodeCredential, InteractiveBrowserCredential } from '@azure/identity';
import type { SignInMethod } from '../../shared/contract/apim';
import { staticTokenCredential } from '../apim';

/*
 * Sign-in for the desktop app and serve mode: the method the user picked, not the CLI's fallback chain (a user
 * who clicks "Azure CLI" wants that account, not whatever AZURE_ACCESS_TOKEN happens to hold). Who is signed in
 * is read from the token's claims, which are not secret; the token itself never leaves the main side.
 */

export interface CredentialRequest {
  method: SignInMethod;
  token?: string;
  tenant?: string;
  /** Device code: where the "open this URL, enter this code" instruction goes. */
  onPrompt(message: string): void;
}

export type CredentialFactory = (req: CredentialRequest) => TokenCredential;

export const defaultCredentialFactory: CredentialFactory = (req) => {
  const tenantId = req.tenant || undefined;
  switch (req.method) {
    case 'token':
      return staticTokenCredential((req.token ?? '').trim());
    case 'cli':
      return new AzureCliCredential({ tenantId });
    case 'browser':
      return new InteractiveBrowserCredential({ tenantId });
    case 'device':
      return new DeviceCodeCredential({ tenantId, userPromptCallback: (info) => req.onPrompt(info.message) });
  }
};

/** The claims of a JWT, unverified (ARM verifies it; we only want a name to show). Undefined when not a JWT. */
export function tokenClaims(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const json = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const claims = JSON.parse(json) as unknown;
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Who the token is for: a user's name, or a service principal's app id. */
export function accountFromToken(token: string): { user: string | null; tenant: string | null } {
  const c = tokenClaims(token);
  if (!c) return { user: null, tenant: null };
  const user = str(c.upn) ?? str(c.preferred_username) ?? str(c.unique_name) ?? str(c.email) ?? (str(c.appid) ? `app ${str(c.appid)}` : undefined);
  return { user: user ?? null, tenant: str(c.tid) ?? null };
}
