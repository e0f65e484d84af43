import { describe, expect, it } from 'vitest';
import type { Workspace } from '../model/schema';
import { validateWorkspace } from '../model/validate';
import { lanesOf, newLowestLane } from './lanes';
import { addMember, addPool, moveMember, moveToNeighbourLane, removeMember, removePool, setPriority, setWeight, updatePool } from './pools';
import { deepFreeze, frozenSample, sample } from './test-fixtures';

const members = (ws: Workspace, pool = 'pool') => ws.pools![pool]!.services;
const ok = (r: { ok: boolean; workspace?: Workspace }) => {
  expect(r.ok).toBe(true);
  return r.workspace!;
};

describe('pool edits', () => {
  it('adds a pool of backends in one lane and refuses bad ids and unknown members', () => {
    const ws = frozenSample();
    const next = ok(addPool(ws, 'p2', ['east', 'spare'], 'second'));
    expect(next.pools!.p2).toEqual({ description: 'second', services: [{ backend: 'east', priority: 1, weight: 1 }, { backend: 'spare', priority: 1, weight: 1 }] });
    expect(addPool(ws, 'east', [])).toMatchObject({ ok: false });
    expect(addPool(ws, 'p3', ['ghost'])).toEqual({ ok: false, message: 'no backend named "ghost"' });
  });

  it('refuses to remove a pool that serves an api, and removes one that does not', () => {
    const ws = frozenSample();
    expect(removePool(ws, 'pool')).toMatchObject({ ok: false, message: '"pool" serves api "chat": point the api elsewhere first', usedBy: [{ kind: 'api', id: 'chat', path: 'apis.chat.backend' }] });
    const two = ok(addPool(ws, 'p2', ['spare']));
    expect(ok(removePool(two, 'p2')).pools).toEqual(ws.pools);
  });

  it('updates title and description, dropping empty ones', () => {
    const ws = frozenSample();
    const next = updatePool(ws, 'pool', { description: 'LB' });
    expect(next.pools!.pool!.description).toBe('LB');
    expect('description' in updatePool(next, 'pool', { description: '' }).pools!.pool!).toBe(false);
  });

  it('adds members at the end of the highest lane, or a given lane, and refuses duplicates, pools and unknowns', () => {
    const ws = frozenSample();
    const next = ok(addMember(ws, 'pool', 'spare'));
    expect(members(next).at(-1)).toEqual({ backend: 'spare', priority: 1, weight: 1 });
    const lower = ok(addMember(ws, 'pool', 'spare', { priority: 2, weight: 5 }));
    expect(lanesOf(lower.pools!.pool).map((l) => l.priority)).toEqual([1, 2]);
    expect(addMember(ws, 'pool', 'east')).toEqual({ ok: false, message: '"east" is already a member of "pool"' });
    expect(addMember(ws, 'pool', 'ghost')).toEqual({ ok: false, message: 'there is no backend "ghost"' });
    expect(addMember(ws, 'pool', 'pool')).toMatchObject({ ok: false, message: expect.stringContaining('pool inside a pool') });
  });

  it('joins a lane without priorities or weights in the same style (round-robin stays round-robin)', () => {
    const ws = deepFreeze({ ...sample(), pools: { rr: { services: [{ backend: 'east' }, { backend: 'west' }] } } });
    expect(members(ok(addMember(ws, 'rr', 'spare')), 'rr').at(-1)).toEqual({ backend: 'spare' });
  });

  it('sets weight and priority as typed (so validation can flag them) and no-ops keep the reference', () => {
    const ws = frozenSample();
    const next = setWeight(ws, 'pool', 'west', 150);
    expect(members(next)[1]!.weight).toBe(150);
    expect(validateWorkspace(next).errors).toEqual([{ path: 'pools.pool.services[1].weight', message: 'must be between 0 and 100' }]);
    expect(setWeight(ws, 'pool', 'west', 1)).toBe(ws);
    expect('weight' in members(setWeight(ws, 'pool', 'west', undefined))[1]!).toBe(false);
    expect(members(setPriority(ws, 'pool', 'east', 2))[0]!.priority).toBe(2);
    expect(setWeight(ws, 'pool', 'ghost', 2)).toBe(ws);
  });

  it('removes a member', () => {
    const ws = frozenSample();
    expect(members(removeMember(ws, 'pool', 'east')).map((m) => m.backend)).toEqual(['west']);
    expect(removeMember(ws, 'pool', 'ghost')).toBe(ws);
  });

  it('moves a member to a lower lane and keeps services sorted by lane', () => {
    const ws = frozenSample();
    const next = moveMember(ws, 'pool', 'east', { priority: 2 });
    expect(members(next)).toEqual([{ backend: 'west', priority: 1, weight: 1 }, { backend: 'east', priority: 2, weight: 3 }]);
    expect(members(ws)[0]!.priority).toBe(1);
  });

  it('reorders inside a lane and returns the same reference when the drop changes nothing', () => {
    const ws = frozenSample();
    const swapped = moveMember(ws, 'pool', 'west', { priority: 1, index: 0 });
    expect(members(swapped).map((m) => m.backend)).toEqual(['west', 'east']);
    expect(moveMember(ws, 'pool', 'east', { priority: 1, index: 0 })).toBe(ws);
  });

  it('gives members without priority an explicit 0 once another has one (no B1 mix warning)', () => {
    const ws = deepFreeze({ ...sample(), pools: { rr: { services: [{ backend: 'east' }, { backend: 'west' }] } } });
    const next = moveMember(ws, 'rr', 'east', { priority: 1 });
    expect(members(next, 'rr')).toEqual([{ backend: 'west', priority: 0 }, { backend: 'east', priority: 1 }]);
    expect(validateWorkspace(next).warnings.filter((w) => w.path.startsWith('pools'))).toEqual([]);
    // Reordering inside the implicit group 0 keeps it implicit.
    expect(members(moveMember(ws, 'rr', 'west', { priority: 0, index: 0 }), 'rr')).toEqual([{ backend: 'west' }, { backend: 'east' }]);
  });

  it('moves up and down a lane with the buttons, creating a lane when sharing one, refusing when alone', () => {
    const ws = frozenSample();
    const down = ok(moveToNeighbourLane(ws, 'pool', 'east', 'down'));
    expect(lanesOf(down.pools!.pool).map((l) => [l.priority, l.members.map((m) => m.member.backend)])).toEqual([[1, ['west']], [2, ['east']]]);
    expect(moveToNeighbourLane(down, 'pool', 'east', 'down')).toEqual({ ok: false, message: '"east" is already alone in the lowest lane' });
    const back = ok(moveToNeighbourLane(down, 'pool', 'east', 'up'));
    expect(lanesOf(back.pools!.pool).map((l) => l.priority)).toEqual([1]);
    const up = ok(moveToNeighbourLane(ws, 'pool', 'west', 'up'));
    expect(members(up)).toEqual([{ backend: 'west', priority: 0, weight: 1 }, { backend: 'east', priority: 1, weight: 3 }]);
    expect(moveToNeighbourLane(up, 'pool', 'west', 'up')).toMatchObject({ ok: false });
    expect(moveToNeighbourLane(ws, 'pool', 'ghost', 'up')).toMatchObject({ ok: false });
  });

  it('proposes a new lowest lane', () => {
    expect(newLowestLane(undefined)).toBe(1);
    expect(newLowestLane(sample().pools!.pool)).toBe(2);
  });
});
