import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderScreen, twoBackendWorkspace } from '../validation/test-harness';
import { PoolsScreen } from './pools-screen';
import { spinValue } from './weight-control';

describe('weight input', () => {
  it('reads SpinButton changes: steps, typed numbers, empty text, garbage', () => {
    expect(spinValue({ value: 4 })).toBe(4);
    expect(spinValue({ value: null, displayValue: ' 7 ' })).toBe(7);
    expect(spinValue({ value: null, displayValue: '' })).toBeUndefined();
    expect(spinValue({ value: null, displayValue: 'abc' })).toBeNull();
  });

  it('removes the weight on empty text (counts as 1) and ignores text that is no number', () => {
    const { harness } = renderScreen(PoolsScreen, twoBackendWorkspace());
    const input = screen.getByTestId('weight-input-west');
    fireEvent.change(input, { target: { value: 'abc' } });
    fireEvent.blur(input);
    expect(harness.current().pools!.pool!.services[1]!.weight).toBe(1);
    fireEvent.change(input, { target: { value: '' } });
    fireEvent.blur(input);
    expect('weight' in harness.current().pools!.pool!.services[1]!).toBe(false);
    expect(screen.getByText('not set: counts as 1')).toBeTruthy();
  });
});

describe('undo-friendly edits', () => {
  it('tags weight edits with a coalesce key so the store can merge a slider drag into one undo step', () => {
    const onEdit = vi.fn();
    const ws = twoBackendWorkspace();
    render(
      <FluentProvider theme={webLightTheme}>
        <PoolsScreen workspace={ws} onEdit={onEdit} issues={{ errors: [], warnings: [] }} />
      </FluentProvider>,
    );
    fireEvent.change(screen.getByTestId('weight-slider-west'), { target: { value: '30' } });
    expect(onEdit).toHaveBeenCalledWith(expect.any(Function), { coalesceKey: 'weight:pool:west' });
    const edit = onEdit.mock.calls[0]![0] as (w: typeof ws) => typeof ws;
    // The store hands edits a structuredClone draft; the edit must work on it and leave the input alone.
    const draft = structuredClone(ws);
    expect(edit(draft).pools!.pool!.services[1]!.weight).toBe(30);
    expect(draft.pools!.pool!.services[1]!.weight).toBe(1);
  });
});
