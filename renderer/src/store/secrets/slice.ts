import type { SecretsStatus } from '../../../../shared/contract';
import type { SliceContext } from '../types';

type SecretSource = SecretsStatus['secrets'][number]['source'];

/*
 * Which secret names resolve where (stored, environment, missing) — never their values. A value typed into the
 * editor goes straight to the secrets service and is not kept in the renderer.
 */
export interface SecretsSlice {
  secretSources: Record<string, SecretSource>;
  refreshSecrets(): Promise<void>;
  setSecret(name: string, value: string): Promise<void>;
  /** Follows the service's `changed` event; called by the editor screens while mounted. */
  followSecrets(): () => void;
}

export function createSecretsSlice(ctx: SliceContext): SecretsSlice {
  return {
    secretSources: {},
    async refreshSecrets() {
      const status = await ctx.api.secrets.status({});
      ctx.set({ secretSources: Object.fromEntries(status.secrets.map((s) => [s.name, s.source])) });
    },
    async setSecret(name, value) {
      await ctx.api.secrets.set({ name, value });
      await ctx.get().refreshSecrets();
    },
    followSecrets() {
      void ctx.get().refreshSecrets().catch(() => undefined);
      return ctx.api.secrets.onChanged(() => void ctx.get().refreshSecrets().catch(() => undefined));
    },
  };
}
