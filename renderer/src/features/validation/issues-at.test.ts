import { describe, expect, it } from 'vitest';
import { fieldDomId, issuesAt, pathWithin } from './issues-at';

describe('validation paths', () => {
  const issues = {
    errors: [
      { path: 'pools.p1.services[1].weight', message: 'must be between 0 and 100' },
      { path: 'pools.p10.services', message: 'x' },
      { path: 'backends.a.url', message: 'y' },
    ],
    warnings: [{ path: 'pools.p1.services', message: 'mixed priorities' }],
  };

  it('matches a path and what lies below it, not siblings with a longer name', () => {
    expect(pathWithin('pools.p1.services[1].weight', 'pools.p1')).toBe(true);
    expect(pathWithin('pools.p1.services[1].weight', 'pools.p1.services[1]')).toBe(true);
    expect(pathWithin('pools.p10.services', 'pools.p1')).toBe(false);
    expect(pathWithin('pools.p1', 'pools.p1')).toBe(true);
  });

  it('returns the issues of one field or of a prefix', () => {
    expect(issuesAt(issues, 'pools.p1.services[1].weight', { exact: true })).toEqual({ errors: [issues.errors[0]], warnings: [] });
    expect(issuesAt(issues, 'pools.p1.services', { exact: true })).toEqual({ errors: [], warnings: issues.warnings });
    expect(issuesAt(issues, 'pools.p1')).toEqual({ errors: [issues.errors[0]], warnings: issues.warnings });
    expect(issuesAt(issues, 'apis').errors).toEqual([]);
  });

  it('turns a path into a DOM id', () => {
    expect(fieldDomId('pools.p1.services[1].weight')).toBe('field-pools_p1_services_1__weight');
  });
});
