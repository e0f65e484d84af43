import type { BreakerRule, StatusRange } from '../model/schema';

/** Status range presets offered as chips in the rule editor (issue 7). */
export interface StatusPreset {
  id: string;
  label: string;
  ranges: StatusRange[];
}

export const STATUS_PRESETS: readonly StatusPreset[] = [
  { id: '429', label: '429 only', ranges: [{ min: 429, max: 429 }] },
  { id: '5xx', label: '5xx', ranges: [{ min: 500, max: 599 }] },
  { id: '429-5xx', label: '429 + 5xx', ranges: [{ min: 429, max: 429 }, { min: 500, max: 599 }] },
  // Offered because the seed and many samples use it; validation warns that it counts 400-428 too (B11).
  { id: '400-599', label: '400–599', ranges: [{ min: 400, max: 599 }] },
];

export interface BreakerPreset {
  id: string;
  label: string;
  description: string;
  rule: Omit<BreakerRule, 'name'>;
}

export const BREAKER_PRESETS: readonly BreakerPreset[] = [
  {
    id: 'aoai-ptu',
    label: 'Azure OpenAI PTU with Retry-After',
    description: 'Trip on the first 429 and stay out for as long as Azure OpenAI says (Retry-After), else 1 minute.',
    rule: {
      failureCondition: { count: 1, interval: 'PT1M', statusCodeRanges: [{ min: 429, max: 429 }], errorReasons: ['Server errors'] },
      tripDuration: 'PT1M',
      acceptRetryAfter: true,
    },
  },
  {
    id: 'payg-5xx',
    label: 'Pay-as-you-go 5xx',
    description: 'Trip after 3 server errors within 1 minute; open for 1 minute (or a Retry-After the backend sends).',
    rule: {
      failureCondition: { count: 3, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: ['Server errors'] },
      tripDuration: 'PT1M',
      acceptRetryAfter: true,
    },
  },
];

export const DEFAULT_RULE_NAME = 'breakerRule';

/** Which status preset a list of ranges is exactly, if any (to highlight the chip). */
export function matchStatusPreset(ranges: readonly StatusRange[] | undefined): string | undefined {
  const key = (rs: readonly StatusRange[]) => rs.map((r) => `${r.min}-${r.max}`).join(',');
  const k = key(ranges ?? []);
  return STATUS_PRESETS.find((p) => key(p.ranges) === k)?.id;
}
