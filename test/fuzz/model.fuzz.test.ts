import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isoClamped, MAX_TIMER_MS, timerDelay } from '../../main/gateway/long-timer';
import { FILE_PATH, MAX_DURATION_MS, parseDuration, parseWorkspaceText, validateWorkspace, type Issue, type Workspace } from '../../shared/model';
import { compileRoutes, Router } from '../../shared/semantics';
import { getPath, parsePath, type Plain } from '../support/workspace-arbitrary';
import { fuzzRuns, hostileDuration, hostileText, mutatedWorkspace } from './hostile';

/*
 * The model under hostile input (issue 14): validation never throws, every error names a field that exists in the
 * input (or the file / root as a whole), no message carries a stack trace, and whatever validates runs on the
 * engine's pure core without ever making an invalid date or an overflowing timer.
 */
const STACK = /\n\s+at |Maximum call stack|RangeError|TypeError|\[object Object\]/;

const LAST_SEGMENT = /(?:\.[A-Za-z0-9_-]+|\[\d+\]|\["(?:[^"\\]|\\.)*"\])$/;

function assertIssues(input: unknown, issues: Issue[]): void {
  for (const issue of issues) {
    expect(typeof issue.path).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    expect(issue.message).not.toMatch(STACK);
    if (issue.path === '(root)' || issue.path === FILE_PATH || /^line \d+, column \d+$/.test(issue.path)) continue;
    expect(() => parsePath(issue.path), issue.path).not.toThrow();
    // The field's container is in the input: the path says where to look, even for a missing field.
    const parent = issue.path.replace(LAST_SEGMENT, '');
    if (parent !== issue.path && parent !== '') expect(getPath(input as Plain, parent), `${issue.path}: ${issue.message}`).toBeDefined();
  }
}

describe('fuzz: the workspace model', () => {
  it('validation of mutated workspaces never throws and names existing fields', () => {
    fc.assert(
      fc.property(mutatedWorkspace, (ws) => {
        const r = validateWorkspace(ws);
        assertIssues(ws, r.errors);
        assertIssues(ws, r.warnings);
        if (!r.ok) expect(r.errors.length).toBeGreaterThan(0);
      }),
      fuzzRuns(150),
    );
  });

  it('whatever validates compiles and trips without an invalid date or an overflowing timer', () => {
    fc.assert(
      fc.property(mutatedWorkspace, fc.integer({ min: 0, max: 8.64e15 - 2 * MAX_DURATION_MS }), (ws, now) => {
        const r = validateWorkspace(ws);
        if (!r.ok) return;
        const table = compileRoutes(r.workspace as Workspace);
        const router = new Router(table);
        for (const id of table.backends.keys()) {
          const change = router.record(id, now, { failure: 'timeout' });
          const until = change?.openUntil ?? now;
          expect(Number.isFinite(new Date(until).getTime())).toBe(true);
          expect(timerDelay(until, now)).toBeLessThanOrEqual(MAX_TIMER_MS);
          expect(isoClamped(until)).toMatch(/^[+-]?\d{4,6}-\d\d-\d\dT/);
        }
      }),
      fuzzRuns(100),
    );
  });

  it('every duration text is refused in words or bounded by P365D', () => {
    fc.assert(
      fc.property(fc.oneof(hostileDuration, fc.string({ maxLength: 30 })), (text) => {
        const r = parseDuration(text);
        if (r.ok) expect(r.ms > 0 && r.ms <= MAX_DURATION_MS).toBe(true);
        else expect(r.message).not.toMatch(STACK);
      }),
      fuzzRuns(100),
    );
  });

  it('text of any shape parses or is refused with a position or (file), never a stack, never a console warning', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    fc.assert(
      fc.property(hostileText, (text) => {
        const r = parseWorkspaceText(text);
        expect(warn).not.toHaveBeenCalled();
        if (!r.ok) {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) {
            expect(e.path).toMatch(/^(\(file\)|line \d+, column \d+)$/);
            expect(e.message).not.toMatch(STACK);
          }
          return;
        }
        const v = validateWorkspace(r.value);
        assertIssues(r.value, v.errors);
      }),
      fuzzRuns(100),
    );
    warn.mockRestore();
  });
});
