import { describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE_YAML } from './demo';
import { validateWorkspaceText } from './validate';

describe('the built-in demo workspace', () => {
  it('validates with the seed scenario counts and warns about 400-599', () => {
    const r = validateWorkspaceText(DEMO_WORKSPACE_YAML);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.counts).toEqual({ backends: 2, pools: 1, apis: 1 });
    expect(r.warnings.map((w) => w.path)).toContain('backends.aoai-eastus.circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]');
  });
});
