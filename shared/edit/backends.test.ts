import { describe, expect, it } from 'vitest';
import { validateWorkspace } from '../model/validate';
import { addBackend, backendUses, checkNewId, removeBackend, renameBackend, updateBackend } from './backends';
import { orUnchanged } from './result';
import { frozenSample } from './test-fixtures';

describe('backend edits', () => {
  it('adds a backend without touching the input and refuses a taken or malformed id', () => {
    const ws = frozenSample();
    const r = addBackend(ws, 'north', { url: 'https://north.example.com/openai' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.workspace.backends)).toEqual(['east', 'west', 'spare', 'north']);
    expect(ws.backends.north).toBeUndefined();
    expect(r.workspace.pools).toBe(ws.pools); // untouched parts are shared, not copied
    expect(addBackend(ws, 'pool', { url: 'https://x.example.com' })).toMatchObject({ ok: false, message: expect.stringContaining('one namespace') });
    expect(addBackend(ws, '-bad', { url: 'https://x.example.com' })).toMatchObject({ ok: false });
    expect(checkNewId(ws, '')).toBe('enter an id');
  });

  it('updates fields, removes a field given as undefined, and returns the same reference for a no-op', () => {
    const ws = frozenSample();
    const next = updateBackend(ws, 'west', { title: 'West', description: undefined });
    expect(next.backends.west).toEqual({ url: 'https://west.openai.azure.com/openai', title: 'West' });
    expect(updateBackend(next, 'west', { title: 'West' })).toBe(next);
    expect(updateBackend(next, 'west', { description: undefined })).toBe(next);
    const cleared = updateBackend(next, 'west', { title: undefined });
    expect('title' in cleared.backends.west!).toBe(false);
    expect(updateBackend(ws, 'nope', { title: 'x' })).toBe(ws);
  });

  it('lists what uses a backend, with paths', () => {
    const ws = frozenSample();
    expect(backendUses(ws, 'west')).toEqual([{ kind: 'pool', id: 'pool', path: 'pools.pool.services[1].backend' }]);
    expect(backendUses(ws, 'spare')).toEqual([]);
  });

  it('refuses to remove a used backend and says what uses it', () => {
    const ws = frozenSample();
    const r = removeBackend(ws, 'east');
    expect(r).toEqual({ ok: false, message: '"east" is used by pool "pool": remove it from the pools first', usedBy: [{ kind: 'pool', id: 'pool', path: 'pools.pool.services[0].backend' }] });
    expect(orUnchanged(ws, r)).toBe(ws);
  });

  it('removes a backend from its pools on request, and its simulation profile with it', () => {
    const ws = frozenSample();
    const r = removeBackend(ws, 'west', { fromPools: true });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.workspace.backends.west).toBeUndefined();
    expect(r.workspace.pools!.pool!.services.map((m) => m.backend)).toEqual(['east']);
    expect(r.workspace.simulation).toEqual({});
    expect(validateWorkspace(r.workspace).errors).toEqual([]);
  });

  it('still refuses when an api points straight at the backend', () => {
    const ws = { ...frozenSample(), apis: { direct: { path: 'd', backend: 'spare' } } };
    const r = removeBackend(ws, 'spare', { fromPools: true });
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('api "direct"'), usedBy: [{ kind: 'api', id: 'direct' }] });
    expect(removeBackend(ws, 'ghost')).toMatchObject({ ok: false, message: 'there is no backend "ghost"' });
  });

  it('renames a backend everywhere, keeping key order', () => {
    const ws = frozenSample();
    const r = renameBackend(ws, 'west', 'westus');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.workspace.backends)).toEqual(['east', 'westus', 'spare']);
    expect(r.workspace.pools!.pool!.services[1]!.backend).toBe('westus');
    expect(Object.keys(r.workspace.simulation!)).toEqual(['westus']);
    expect(validateWorkspace(r.workspace).ok).toBe(true);
    expect(renameBackend(ws, 'west', 'east')).toMatchObject({ ok: false });
  });
});
