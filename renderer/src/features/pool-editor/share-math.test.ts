import { describe, expect, it } from 'vitest';
import type { Pool } from '../../../../shared/model/schema';
import { formatShare, sharePreview } from './share-math';

const shares = (pool: Pool, tripped: string[] = []) => {
  const p = sharePreview(pool, new Set(tripped));
  return p.kind === 'invalid' ? p.kind : Object.fromEntries(p.rows.map((r) => [r.backend, formatShare(r.share)]));
};

describe('share preview math (DESIGN §5 scenario, through shared/semantics)', () => {
  const oneLane: Pool = { services: [{ backend: 'a', priority: 1, weight: 3 }, { backend: 'b', priority: 1, weight: 1 }] };

  it('3:1 inside one lane → 75 % / 25 %', () => {
    expect(shares(oneLane)).toEqual({ a: '75 %', b: '25 %' });
  });

  it('the first tripped → 100 % on the second', () => {
    expect(shares(oneLane, ['a'])).toEqual({ a: '0 %', b: '100 %' });
  });

  it('the first moved to a lower lane → 100 % on the one left in the higher lane', () => {
    const moved: Pool = { services: [{ backend: 'b', priority: 1, weight: 1 }, { backend: 'a', priority: 2, weight: 3 }] };
    expect(shares(moved)).toEqual({ a: '0 %', b: '100 %' });
    // …and when that one trips, the lower lane takes over.
    expect(shares(moved, ['b'])).toEqual({ a: '100 %', b: '0 %' });
  });

  it('all tripped → 503 for everyone', () => {
    const p = sharePreview(oneLane, new Set(['a', 'b']));
    expect(p.kind).toBe('none');
    expect(p.kind === 'none' && p.message).toMatch(/^503 for everyone/);
  });

  it('round-robin without weights, standby weight 0, members without priority in group 0', () => {
    expect(shares({ services: [{ backend: 'a' }, { backend: 'b' }, { backend: 'c' }] })).toEqual({ a: '33.3 %', b: '33.3 %', c: '33.3 %' });
    const standby: Pool = { services: [{ backend: 'a', weight: 1 }, { backend: 'b', weight: 0 }] };
    expect(shares(standby)).toEqual({ a: '100 %', b: '0 %' });
    expect(shares(standby, ['a'])).toEqual({ a: '0 %', b: '100 %' });
  });

  it('pauses on values APIM would refuse instead of showing made-up numbers', () => {
    expect(shares({ services: [{ backend: 'a', weight: 150 }] })).toBe('invalid');
    expect(shares({ services: [] })).toBe('invalid');
  });

  it('formats shares with a space before %', () => {
    expect(formatShare(0.75)).toBe('75 %');
    expect(formatShare(2 / 3)).toBe('66.7 %');
    expect(formatShare(0)).toBe('0 %');
  });
});
