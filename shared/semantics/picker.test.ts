import { describe, expect, it } from 'vitest';
import { PoolPicker, type MemberSpec } from './picker';
import { expectedShare } from './share';

const tally = (p: PoolPicker, n: number, available: (i: number) => boolean = () => true, preferred?: (i: number) => boolean) => {
  const out: Record<string, number> = {};
  for (let k = 0; k < n; k++) {
    const i = p.pick(available, preferred);
    const id = i < 0 ? 'none' : p.members[i]!.backend;
    out[id] = (out[id] ?? 0) + 1;
  }
  return out;
};

describe('B1 priority groups', () => {
  const members: MemberSpec[] = [
    { backend: 'a', priority: 1 },
    { backend: 'b', priority: 1 },
    { backend: 'c', priority: 2 },
  ];
  it('uses a lower priority only when the whole higher group is unavailable', () => {
    const p = new PoolPicker(members);
    expect(tally(p, 10, (i) => i !== 0)).toEqual({ b: 10 });
    expect(tally(p, 10, (i) => i === 2)).toEqual({ c: 10 });
  });
  it('treats a member without priority as group 0, the highest', () => {
    const p = new PoolPicker([{ backend: 'x', priority: 0 + 1 }, { backend: 'y' }]);
    expect(tally(p, 5)).toEqual({ y: 5 });
  });
  it('answers -1 when every member is unavailable', () => {
    expect(new PoolPicker(members).pick(() => false)).toBe(-1);
  });
});

describe('B2 weights', () => {
  it('11,000 picks at 10:1 give exactly 10,000:1,000, and each run of 11 is 10:1', () => {
    const p = new PoolPicker([{ backend: 'east', priority: 1, weight: 10 }, { backend: 'uk', priority: 1, weight: 1 }]);
    for (let round = 0; round < 1000; round++) expect(tally(p, 11)).toEqual({ east: 10, uk: 1 });
    const q = new PoolPicker([{ backend: 'east', weight: 10 }, { backend: 'uk', weight: 1 }]);
    expect(tally(q, 11_000)).toEqual({ east: 10_000, uk: 1_000 });
  });
  it('spreads smoothly (nginx order): the light member is not starved to the end of a period', () => {
    const p = new PoolPicker([{ backend: 'a', weight: 5 }, { backend: 'b', weight: 1 }, { backend: 'c', weight: 1 }]);
    const seq = Array.from({ length: 7 }, () => p.members[p.pick(() => true)]!.backend).join('');
    expect(seq).toBe('aabacaa');
  });
  it('no weights = plain round-robin', () => {
    const p = new PoolPicker([{ backend: 'a' }, { backend: 'b' }, { backend: 'c' }]);
    expect(Array.from({ length: 6 }, () => p.members[p.pick(() => true)]!.backend).join('')).toBe('abcabc');
  });
  it('a missing weight in a weighted group counts as 1', () => {
    const p = new PoolPicker([{ backend: 'a', weight: 3 }, { backend: 'b' }]);
    expect(tally(p, 400)).toEqual({ a: 300, b: 100 });
  });
  it('weight 0 is standby: picked only when every member above 0 in its group is open', () => {
    const p = new PoolPicker([
      { backend: 'main', priority: 1, weight: 5 },
      { backend: 'spare', priority: 1, weight: 0 },
      { backend: 'low', priority: 2, weight: 1 },
    ]);
    expect(tally(p, 10)).toEqual({ main: 10 });
    expect(tally(p, 10, (i) => i !== 0)).toEqual({ spare: 10 });
    expect(tally(p, 10, (i) => i === 2)).toEqual({ low: 10 });
  });
});

describe('expectedShare (the pool editor preview) runs the same picker', () => {
  it('10:1 → 10/11 and 1/11', () => {
    const r = expectedShare([{ backend: 'east', priority: 1, weight: 10 }, { backend: 'uk', priority: 1, weight: 1 }], []);
    expect(r).toEqual({ ok: true, share: { east: 10 / 11, uk: 1 / 11 } });
  });
  it('DESIGN §5 scenario: 3:1 in one lane, first tripped, then moved to a lower lane', () => {
    expect(expectedShare([{ backend: 'a', priority: 1, weight: 3 }, { backend: 'b', priority: 1, weight: 1 }], [])).toEqual({ ok: true, share: { a: 0.75, b: 0.25 } });
    expect(expectedShare([{ backend: 'a', priority: 1, weight: 3 }, { backend: 'b', priority: 1, weight: 1 }], ['a'])).toEqual({ ok: true, share: { a: 0, b: 1 } });
    expect(expectedShare([{ backend: 'a', priority: 2, weight: 3 }, { backend: 'b', priority: 1, weight: 1 }], [])).toEqual({ ok: true, share: { a: 0, b: 1 } });
  });
  it('every member open → no backend available', () => {
    expect(expectedShare([{ backend: 'a' }, { backend: 'b' }], ['a', 'b'])).toMatchObject({ ok: false, code: 'NoHealthyBackend' });
  });
  it('is exact at APIM limits: 30 members with weights 1..30 → w/465', () => {
    const members = Array.from({ length: 30 }, (_, i) => ({ backend: `m${i}`, weight: i + 1 }));
    const r = expectedShare(members, []);
    if (!r.ok) throw new Error('expected shares');
    members.forEach((m) => expect(r.share[m.backend]).toBeCloseTo(m.weight / 465, 12));
  });
  it('standbys share evenly when the active members are open', () => {
    expect(expectedShare([{ backend: 'a', weight: 2 }, { backend: 's1', weight: 0 }, { backend: 's2', weight: 0 }], ['a'])).toEqual({ ok: true, share: { a: 0, s1: 0.5, s2: 0.5 } });
  });
});

describe('F-ROUTE-7 carbon preference: members outside it only when no preferred member is available', () => {
  // Learn's example: the regional backend in priority 1 with a preference, a regular one in priority 2.
  const members: MemberSpec[] = [
    { backend: 'green', priority: 1, weight: 1, preferredCarbonEmission: 'Medium', region: 'westeurope' },
    { backend: 'regular', priority: 2, weight: 1 },
  ];
  const within = (dirty: Set<number>) => (i: number) => !dirty.has(i);

  it('a member over its preference yields to a preferred member of a lower priority group', () => {
    const p = new PoolPicker(members);
    expect(tally(p, 4, () => true, within(new Set()))).toEqual({ green: 4 });
    expect(tally(p, 4, () => true, within(new Set([0])))).toEqual({ regular: 4 });
  });
  it('is used anyway when every other member is unavailable, by the normal algorithm', () => {
    const p = new PoolPicker([...members, { backend: 'green2', priority: 1, weight: 3, preferredCarbonEmission: 'Low', region: 'swedencentral' }]);
    // Both regional members over their preference, the regular one open: priority 1 splits 1:3 again.
    expect(tally(p, 8, (i) => i !== 1, within(new Set([0, 2])))).toEqual({ green: 2, green2: 6 });
    expect(p.pick(() => false, within(new Set([0, 2])))).toBe(-1);
  });
  it('a preferred standby of the same group comes before a member over its preference', () => {
    const p = new PoolPicker([
      { backend: 'main', weight: 5, preferredCarbonEmission: 'Low', region: 'r1' },
      { backend: 'spare', weight: 0 },
    ]);
    expect(tally(p, 3, () => true, within(new Set([0])))).toEqual({ spare: 3 });
  });
  it('without a preferred predicate the pick is the plain one (F-ROUTE-1..3 unchanged)', () => {
    const p = new PoolPicker(members);
    expect(tally(p, 3)).toEqual({ green: 3 });
  });
  it('a pass that finds nobody leaves the round-robin state alone: shares among preferred members stay exact', () => {
    const p = new PoolPicker([
      { backend: 'a', weight: 3 },
      { backend: 'b', weight: 1 },
      { backend: 'dirty', priority: 0, weight: 5, preferredCarbonEmission: 'VeryLow', region: 'r' },
    ]);
    expect(tally(p, 400, () => true, within(new Set([2])))).toEqual({ a: 300, b: 100 });
  });
});
