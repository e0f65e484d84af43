import { describe, expect, it } from 'vitest';
import type { Frame } from '../../store/monitor/monitor-buffers';
import { dimensionLabels, OTHER_VALUES, tokenRows } from './token-series';

const frame = (t: number, llm: Frame['llm']): Frame => ({ t, b: {}, gw: 0, llm });
const s = (tenant: string, prompt: number, completion: number, backend = 'east') => ({ api: 'chat', backend, dimensions: { api_id: 'chat', tenant }, prompt, completion });

describe('token series per dimension', () => {
  const frames = [frame(1000, [s('a', 10, 5), s('b', 100, 50)]), frame(2000, undefined), frame(3000, [s('c', 1, 1, 'west'), s('a', 2, 2)])];

  it('lists the labels, api and backend first', () => {
    expect(dimensionLabels(frames)).toEqual(['api', 'backend', 'api_id', 'tenant']);
  });

  it('sums prompt and completion per value and second, keeping the biggest values', () => {
    expect(tokenRows(frames, 'tenant')).toEqual({
      keys: ['b', 'a', 'c'],
      rows: [
        { t: 1000, v: { a: 15, b: 150, c: 0 } },
        { t: 2000, v: { a: 0, b: 0, c: 0 } },
        { t: 3000, v: { a: 4, b: 0, c: 2 } },
      ],
    });
    const two = tokenRows(frames, 'tenant', 2);
    expect(two.keys).toEqual(['b', 'a', OTHER_VALUES]);
    expect(two.rows[2]!.v).toEqual({ b: 0, a: 4, [OTHER_VALUES]: 2 });
    expect(tokenRows(frames, 'backend').rows[2]!.v).toEqual({ east: 4, west: 2 });
  });
});
