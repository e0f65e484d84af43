import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEncryptedFileSecretStore, createMemorySecretStore, type Cipher } from './secret-store';
import { createSecretsService, referencedSecretNames } from './secrets-service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bb-secrets-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

// A stand-in for safeStorage: reversible, and visibly not the plain text.
const cipher: Cipher = {
  encrypt: (s) => Buffer.from(`sealed:${Buffer.from(s).toString('hex')}`),
  decrypt: (b) => Buffer.from(b.toString().replace(/^sealed:/, ''), 'hex').toString(),
};

describe('secrets service', () => {
  it('resolves from the store first, then BREAKERBOARD_SECRET_*, and never returns values', async () => {
    const svc = createSecretsService({
      store: createMemorySecretStore(),
      env: { BREAKERBOARD_SECRET_AOAI_UKSOUTH_KEY: 'from-env' },
      referenced: () => ['aoai-eastus-key', 'aoai-uksouth-key'],
    });
    const changed: string[][] = [];
    svc.onChanged((e) => changed.push(e.names));
    expect(await svc.status({})).toEqual({
      store: { kind: 'memory', persistent: false },
      secrets: [
        { name: 'aoai-eastus-key', source: 'missing' },
        { name: 'aoai-uksouth-key', source: 'env' },
      ],
    });
    expect(await svc.set({ name: 'aoai-eastus-key', value: 'typed' })).toEqual({ name: 'aoai-eastus-key', source: 'store' });
    expect(svc.source.get('aoai-eastus-key')).toBe('typed');
    expect(svc.source.get('aoai-uksouth-key')).toBe('from-env');
    expect(JSON.stringify(await svc.status({}))).not.toContain('typed');
    expect(await svc.remove({ name: 'aoai-eastus-key' })).toEqual({ removed: true });
    expect(await svc.remove({ name: 'aoai-eastus-key' })).toEqual({ removed: false });
    expect(changed).toEqual([['aoai-eastus-key'], ['aoai-eastus-key']]);
  });

  it('the keychain store keeps only sealed values on disk, readable by a new instance, mode 0600', async () => {
    const file = join(dir, 'secrets.json');
    const store = await createEncryptedFileSecretStore(file, cipher);
    await store.set('k', 'hunter2');
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).not.toContain('hunter2');
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
    const again = await createEncryptedFileSecretStore(file, cipher);
    expect(again.get('k')).toBe('hunter2');
    expect(again.names()).toEqual(['k']);
    const foreign = await createEncryptedFileSecretStore(file, { ...cipher, decrypt: () => { throw new Error('other key'); } });
    expect(foreign.get('k')).toBeUndefined();
  });

  it('finds the secret names a workspace refers to', () => {
    expect(referencedSecretNames({ backends: { a: { auth: { type: 'api-key', secret: 's1' } }, b: { auth: { type: 'none' } }, c: null } })).toEqual(['s1']);
  });
});
