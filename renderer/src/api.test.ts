import { describe, expect, it, vi } from 'vitest';
import { takeToken } from './api';

describe('takeToken', () => {
  it('takes the token from the fragment, keeps it for reloads, and clears the address bar', () => {
    const kept = new Map<string, string>();
    const storage = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    const history = { replaceState: vi.fn() };
    expect(takeToken({ hash: '#token=abc_DEF-123', pathname: '/', search: '' }, storage, history)).toBe('abc_DEF-123');
    expect(history.replaceState).toHaveBeenCalledWith(null, '', '/');
    expect(takeToken({ hash: '', pathname: '/', search: '' }, storage, history)).toBe('abc_DEF-123');
    expect(takeToken({ hash: '', pathname: '/', search: '' }, { getItem: () => null, setItem: () => undefined })).toBeNull();
  });
});
