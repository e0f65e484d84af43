import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { BreakersScreen } from '../breaker-editor';
import { PoolsScreen } from '../pool-editor';
import { renderScreen, twoBackendWorkspace } from './test-harness';

describe('inline validation', () => {
  it('shows an out-of-range weight at its field and counts it in the summary', () => {
    renderScreen(PoolsScreen, twoBackendWorkspace());
    expect(screen.getAllByTestId('validation-error-count')[0]!.textContent).toBe('0 errors');
    const input = screen.getByTestId('weight-input-west');
    fireEvent.change(input, { target: { value: '150' } });
    fireEvent.blur(input);
    expect(screen.getByTestId('field-error-pools.pool.services[1].weight').textContent).toBe('must be between 0 and 100');
    expect(screen.getAllByTestId('validation-error-count')[0]!.textContent).toBe('1 error');
    // The preview does not pretend: it pauses until the value is fixed.
    expect(screen.getByTestId('share-paused')).toBeTruthy();
  });

  it('shows a month typo in a breaker duration at its field, with the hint', () => {
    renderScreen(BreakersScreen, twoBackendWorkspace());
    fireEvent.change(screen.getByTestId('rule-interval'), { target: { value: 'P1M' } });
    const err = screen.getByTestId('field-error-backends.east.circuitBreaker.rules[0].failureCondition.interval');
    expect(err.textContent).toContain('write PT1M for minutes');
  });

  it('shows B11 warnings at their field without blocking', () => {
    renderScreen(BreakersScreen, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('status-preset-400-599'));
    expect(screen.getByTestId('field-warning-backends.east.circuitBreaker.rules[0].failureCondition.statusCodeRanges[0]').textContent).toContain('client errors other than 429');
    expect(screen.getAllByTestId('validation-error-count')[0]!.textContent).toBe('0 errors');
  });
});
