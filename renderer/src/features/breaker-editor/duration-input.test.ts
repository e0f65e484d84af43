import { describe, expect, it } from 'vitest';
import { readDurationInput } from './duration-input';

describe('typed durations', () => {
  it('reads shorthand as the ISO text it stands for', () => {
    expect(readDurationInput('1m')).toEqual({ value: 'PT1M', readAs: 'PT1M' });
    expect(readDurationInput(' 30s ')).toEqual({ value: 'PT30S', readAs: 'PT30S' });
    expect(readDurationInput('2 hours')).toEqual({ value: 'PT2H', readAs: 'PT2H' });
    expect(readDurationInput('1d')).toEqual({ value: 'P1D', readAs: 'P1D' });
  });
  it('takes ISO in any case, and keeps anything else as typed (never "1M")', () => {
    expect(readDurationInput('pt1m')).toEqual({ value: 'PT1M' });
    expect(readDurationInput('1 fortnight')).toEqual({ value: '1 fortnight' });
    expect(readDurationInput('1.5m')).toEqual({ value: '1.5m' });
  });
});
