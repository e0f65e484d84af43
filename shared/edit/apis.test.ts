import { describe, expect, it } from 'vitest';
import { validateWorkspace } from '../model/validate';
import { addApi, removeApi, retryNotes, setApiBackend, setApiPath, setApiRetry, suggestedRetryCount } from './apis';
import { applyBreakerPreset } from './breaker';
import { addMember } from './pools';
import { orUnchanged } from './result';
import { frozenSample } from './test-fixtures';

describe('api edits', () => {
  it('adds, edits and removes an api immutably', () => {
    const ws = frozenSample();
    const r = addApi(ws, 'direct', { path: 'direct', backend: 'spare' });
    expect(r.ok).toBe(true);
    const next = orUnchanged(ws, r);
    expect(Object.keys(next.apis!)).toEqual(['chat', 'direct']);
    expect(addApi(next, 'direct', { path: 'x', backend: 'spare' })).toEqual({ ok: false, message: 'there is already an api "direct"' });
    expect(setApiPath(next, 'direct', 'v1').apis!.direct!.path).toBe('v1');
    expect(setApiPath(next, 'direct', 'direct')).toBe(next);
    expect(setApiBackend(next, 'direct', 'pool').apis!.direct!.backend).toBe('pool');
    expect(removeApi(next, 'direct').apis).toEqual(ws.apis);
    expect(removeApi(ws, 'ghost')).toBe(ws);
  });

  it('sets and removes the retry block', () => {
    const ws = frozenSample();
    expect(setApiRetry(ws, 'chat', { count: 2, on: [429] }).apis!.chat!.retry).toEqual({ count: 2, on: [429] });
    expect('retry' in setApiRetry(ws, 'chat', undefined).apis!.chat!).toBe(false);
    const over = setApiRetry(ws, 'chat', { count: 3, on: [429] });
    expect(validateWorkspace(over).warnings.map((w) => w.path)).toContain('apis.chat.retry.count');
  });

  it('suggests pool size − 1 retries (0 for a single backend)', () => {
    const ws = frozenSample();
    expect(suggestedRetryCount(ws, 'pool')).toBe(1);
    expect(suggestedRetryCount(orUnchanged(ws, addMember(ws, 'pool', 'spare')), 'pool')).toBe(2);
    expect(suggestedRetryCount(ws, 'east')).toBe(0);
  });

  it('notes retry codes that would not take a member out at once (B8)', () => {
    const ws = frozenSample();
    expect(retryNotes(ws, 'chat')).toEqual([
      '429: east, west are not taken out by one 429, so a retry can pick them again',
      '503: east, west are not taken out by one 503, so a retry can pick them again',
    ]);
    let ptu = orUnchanged(ws, applyBreakerPreset(ws, 'east', 'aoai-ptu'));
    ptu = orUnchanged(ptu, applyBreakerPreset(ptu, 'west', 'aoai-ptu'));
    expect(retryNotes(setApiRetry(ptu, 'chat', { count: 1, on: [429] }), 'chat')).toEqual([]);
  });
});
