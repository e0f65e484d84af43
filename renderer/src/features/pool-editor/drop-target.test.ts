import { describe, expect, it } from 'vitest';
import { lanesOf } from '../../../../shared/edit/lanes';
import { moveMember } from '../../../../shared/edit/pools';
import type { Workspace } from '../../../../shared/model/schema';
import { dropTarget } from './drop-target';

const ws: Workspace = {
  version: 1,
  backends: { a: { url: 'https://a.example.com' }, b: { url: 'https://b.example.com' }, c: { url: 'https://c.example.com' } },
  pools: { p: { services: [{ backend: 'a', priority: 1 }, { backend: 'b', priority: 1 }, { backend: 'c', priority: 2 }] } },
};
const lanes = lanesOf(ws.pools!.p);
const order = (w: Workspace) => w.pools!.p!.services.map((m) => `${m.backend}${m.priority}`).join(' ');
const drop = (active: string, over: string) => {
  const t = dropTarget(lanes, active, over, 3);
  return t ? order(moveMember(ws, 'p', active, t)) : 'none';
};

describe('drop target of a dragged card', () => {
  it('reorders inside a lane like arrayMove, both directions', () => {
    expect(drop('a', 'card:b')).toBe('b1 a1 c2');
    expect(drop('b', 'card:a')).toBe('b1 a1 c2');
  });

  it('drops before a card of another lane, at the end of a lane, or into a new lowest lane', () => {
    expect(drop('a', 'card:c')).toBe('b1 a2 c2');
    expect(drop('c', 'lane:1')).toBe('a1 b1 c1');
    expect(drop('a', 'lane:new')).toBe('b1 c2 a3');
  });

  it('does nothing when dropped on itself or somewhere unknown', () => {
    expect(drop('a', 'card:a')).toBe('none');
    expect(drop('a', 'card:zz')).toBe('none');
  });
});
