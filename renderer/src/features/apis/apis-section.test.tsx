import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderScreen, twoBackendWorkspace } from '../validation/test-harness';
import { ApisSection } from './apis-section';
import { parseCodes } from './retry-fields';

describe('apis section', () => {
  it('shows which pool serves which path, and edits both', () => {
    const { harness } = renderScreen(ApisSection, twoBackendWorkspace());
    expect(screen.getByTestId('api-card-chat').textContent).toContain('serves /openai from pool');
    fireEvent.change(screen.getByTestId('api-path-chat'), { target: { value: 'v1' } });
    fireEvent.change(screen.getByTestId('api-backend-chat'), { target: { value: 'east' } });
    expect(harness.current().apis!.chat).toMatchObject({ path: 'v1', backend: 'east' });
  });

  it('suggests pool size − 1 retries and warns at the field above it', () => {
    const { harness } = renderScreen(ApisSection, twoBackendWorkspace());
    expect(screen.getByTestId('retry-suggestion-chat').textContent).toMatch(/^Suggested: 1 retry \(pool size − 1\)/);
    const count = screen.getByTestId('retry-count-chat');
    fireEvent.change(count, { target: { value: '3' } });
    fireEvent.blur(count);
    expect(screen.getByTestId('field-warning-apis.chat.retry.count').textContent).toContain('more than 1 (pool size - 1)');
    fireEvent.click(screen.getByTestId('retry-suggest-chat'));
    expect(harness.current().apis!.chat!.retry!.count).toBe(1);
  });

  it('edits retry codes, flags a bad code at its field, and turns retry off', () => {
    const { harness } = renderScreen(ApisSection, twoBackendWorkspace());
    const codes = screen.getByTestId('retry-codes-chat');
    fireEvent.change(codes, { target: { value: '429, 503, 999' } });
    fireEvent.blur(codes);
    expect(harness.current().apis!.chat!.retry!.on).toEqual([429, 503, 999]);
    expect(screen.getByTestId('field-error-apis.chat.retry.on[2]').textContent).toBe('must be between 100 and 599');
    fireEvent.click(screen.getByTestId('retry-toggle-chat'));
    expect(harness.current().apis!.chat!.retry).toBeUndefined();
  });

  it('notes retry codes that would not take a member out at once (B8)', () => {
    renderScreen(ApisSection, twoBackendWorkspace());
    expect(screen.getAllByTestId('retry-note-chat')[0]!.textContent).toBe('429: east, west are not taken out by one 429, so a retry can pick them again');
  });

  it('adds and removes an api', () => {
    const { harness } = renderScreen(ApisSection, twoBackendWorkspace());
    fireEvent.change(screen.getByTestId('add-api-id'), { target: { value: 'embeddings' } });
    fireEvent.change(screen.getByTestId('add-api-path'), { target: { value: 'emb' } });
    fireEvent.click(screen.getByTestId('add-api-submit'));
    expect(harness.current().apis!.embeddings).toEqual({ path: 'emb', backend: 'pool' });
    fireEvent.click(screen.getByTestId('remove-api-embeddings'));
    expect(harness.current().apis!.embeddings).toBeUndefined();
  });

  it('parses status code lists', () => {
    expect(parseCodes('429, 503 504')).toEqual([429, 503, 504]);
    expect(parseCodes('x')).toEqual([Number.NaN]);
  });
});
