import { chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../workspace/atomic-write';

/*
 * Where secret values entered in the app are kept. Serve mode: memory only (DESIGN §4). Desktop: a file of
 * values encrypted by the OS keychain (Electron safeStorage, passed in by the shell as two functions, so this
 * module stays plain Node and testable).
 */
export interface SecretStore {
  readonly kind: 'memory' | 'keychain';
  readonly persistent: boolean;
  get(name: string): string | undefined;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<boolean>;
  names(): string[];
}

export function createMemorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    kind: 'memory',
    persistent: false,
    get: (name) => values.get(name),
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => values.delete(name),
    names: () => [...values.keys()].sort(),
  };
}

export interface Cipher {
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

/** Loads the encrypted file once (values decrypted lazily), rewrites it atomically (mode 0600) on each change. */
export async function createEncryptedFileSecretStore(file: string, cipher: Cipher): Promise<SecretStore> {
  const sealed = new Map<string, string>(); // name → base64 ciphertext
  try {
    const data = JSON.parse(await readFile(file, 'utf8')) as { secrets?: Record<string, unknown> };
    for (const [k, v] of Object.entries(data.secrets ?? {})) if (typeof v === 'string') sealed.set(k, v);
  } catch {
    // No file yet (or unreadable): start empty; the next write replaces it.
  }
  const persist = async () => {
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, `${JSON.stringify({ version: 1, secrets: Object.fromEntries(sealed) }, null, 2)}\n`);
    await chmod(file, 0o600).catch(() => undefined);
  };
  return {
    kind: 'keychain',
    persistent: true,
    get(name) {
      const v = sealed.get(name);
      if (v === undefined) return undefined;
      try {
        return cipher.decrypt(Buffer.from(v, 'base64'));
      } catch {
        return undefined; // sealed by another user or machine: treat as absent
      }
    },
    async set(name, value) {
      sealed.set(name, cipher.encrypt(value).toString('base64'));
      await persist();
    },
    async delete(name) {
      const had = sealed.delete(name);
      if (had) await persist();
      return had;
    },
    names: () => [...sealed.keys()].sort(),
  };
}
