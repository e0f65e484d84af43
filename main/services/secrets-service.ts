import type { SecretsService, SecretsStatus } from '../../shared/contract';
import { envSecretSource, type SecretSource } from '../secrets/secret-source';
import { createEmitter } from './emitter';
import type { SecretStore } from './secret-store';

export type SecretsServiceImpl = SecretsService & {
  /** What the gateway resolves `secret:` names with: the store first, then BREAKERBOARD_SECRET_* variables. */
  source: SecretSource;
};

/** Names the open workspace refers to (`auth.secret` of each backend). */
export function referencedSecretNames(workspace: Record<string, unknown>): string[] {
  const names = new Set<string>();
  const backends = workspace.backends;
  if (backends && typeof backends === 'object') {
    for (const b of Object.values(backends as Record<string, unknown>)) {
      const secret = (b as { auth?: { secret?: unknown } } | null)?.auth?.secret;
      if (typeof secret === 'string') names.add(secret);
    }
  }
  return [...names];
}

export function createSecretsService(opts: { store: SecretStore; env: NodeJS.ProcessEnv; referenced: () => string[] }): SecretsServiceImpl {
  const env = envSecretSource(opts.env);
  const changed = createEmitter<{ names: string[] }>();
  const sourceOf = (name: string) => (opts.store.get(name) !== undefined ? 'store' : env.get(name) !== undefined ? 'env' : 'missing');
  return {
    async status(input): Promise<SecretsStatus> {
      const names = input.names ?? [...new Set([...opts.store.names(), ...opts.referenced()])].sort();
      return {
        store: { kind: opts.store.kind, persistent: opts.store.persistent },
        secrets: names.map((name) => ({ name, source: sourceOf(name) })),
      };
    },
    async set({ name, value }) {
      await opts.store.set(name, value);
      changed.emit({ names: [name] });
      return { name, source: 'store' as const };
    },
    async remove({ name }) {
      const removed = await opts.store.delete(name);
      if (removed) changed.emit({ names: [name] });
      return { removed };
    },
    onChanged: (listener) => changed.on(listener),
    source: { get: (name) => opts.store.get(name) ?? env.get(name) },
  };
}
