import { describe, expect, it } from 'vitest';
import { validateWorkspace } from '../model';

/* `backends.<id>.capacity` (DESIGN §6): optional, validated with paths, planning only. */
describe('the capacity field', () => {
  const ws = (capacity: unknown) => validateWorkspace({ version: 1, backends: { a: { url: 'https://a.openai.azure.com/openai', capacity } } });

  it('accepts what discovery records', () => {
    const v = ws({ sku: 'GlobalProvisionedManaged', ptu: 300, model: 'gpt-4o', modelVersion: '2024-08-06', region: 'eastus2', deployment: 'gpt-4o' });
    expect(v.ok).toBe(true);
  });

  it('names the field of every bad value', () => {
    const v = ws({ tokensPerMinute: 0, ptu: 1.5, requestsPerMinute: 'many', extra: 1 });
    expect(v.ok).toBe(false);
    expect(v.errors).toEqual(
      expect.arrayContaining([
        { path: 'backends.a.capacity.sku', message: 'is required' },
        { path: 'backends.a.capacity.tokensPerMinute', message: 'must be between 1 and 1000000000' },
        { path: 'backends.a.capacity.ptu', message: 'must be a whole number between 1 and 1000000' },
        { path: 'backends.a.capacity.requestsPerMinute', message: 'must be a whole number' },
        { path: 'backends.a.capacity.extra', message: 'unknown field' },
      ]),
    );
  });
});
