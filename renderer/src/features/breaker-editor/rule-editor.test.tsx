import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ruleOf } from '../../../../shared/edit/breaker';
import { renderScreen, twoBackendWorkspace } from '../validation/test-harness';
import { BreakersScreen } from './breakers-screen';

const sentence = () => screen.getByTestId('rule-sentence').textContent;

describe('breaker rule editor', () => {
  it('explains the rule in words and draws it on a timeline', () => {
    renderScreen(BreakersScreen, twoBackendWorkspace());
    expect(sentence()).toBe('3 failures within 1 min → open for 1 min, or as long as Retry-After says');
    expect(screen.getByTestId('rule-timeline').getAttribute('aria-label')).toBe(sentence());
    expect(within(screen.getByTestId('rule-timeline')).getByText('or Retry-After')).toBeTruthy();
  });

  it('switches count ↔ percentage, keeping exactly one in the file', () => {
    const { harness } = renderScreen(BreakersScreen, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('threshold-kind-percentage'));
    expect(ruleOf(harness.current(), 'east')!.failureCondition).toMatchObject({ percentage: 50 });
    expect('count' in ruleOf(harness.current(), 'east')!.failureCondition).toBe(false);
    expect(sentence()).toMatch(/^50 % of responses failing within 1 min/);
    fireEvent.change(screen.getByTestId('threshold-value'), { target: { value: '25' } });
    fireEvent.blur(screen.getByTestId('threshold-value'));
    expect(sentence()).toMatch(/^25 % of responses/);
    fireEvent.click(screen.getByTestId('threshold-kind-count'));
    expect(ruleOf(harness.current(), 'east')!.failureCondition).toMatchObject({ count: 3 });
    expect(sentence()).toMatch(/^3 failures within/);
  });

  it('applies the Azure OpenAI PTU preset: 429 only, count 1, PT1M, Retry-After', () => {
    const { harness } = renderScreen(BreakersScreen, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('breaker-preset-aoai-ptu'));
    expect(sentence()).toBe('1 failure within 1 min → open for 1 min, or as long as Retry-After says');
    expect(screen.getByTestId('status-chip-429-429')).toBeTruthy();
    expect(screen.queryByTestId('status-chip-500-599')).toBeNull();
    expect((screen.getByTestId('status-preset-429') as HTMLButtonElement).getAttribute('aria-pressed')).toBe('true');
    expect(ruleOf(harness.current(), 'east')).toMatchObject({ tripDuration: 'PT1M', acceptRetryAfter: true, failureCondition: { count: 1, interval: 'PT1M' } });
  });

  it('edits status ranges with presets, chips and the adder', () => {
    const { harness } = renderScreen(BreakersScreen, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('status-preset-429-5xx'));
    expect(screen.getByTestId('status-chip-429-429')).toBeTruthy();
    fireEvent.click(screen.getByTestId('status-chip-429-429'));
    expect(screen.queryByTestId('status-chip-429-429')).toBeNull();
    fireEvent.change(screen.getByTestId('status-add-min'), { target: { value: '408' } });
    fireEvent.blur(screen.getByTestId('status-add-min'));
    fireEvent.change(screen.getByTestId('status-add-max'), { target: { value: '408' } });
    fireEvent.blur(screen.getByTestId('status-add-max'));
    fireEvent.click(screen.getByTestId('status-add'));
    expect(ruleOf(harness.current(), 'east')!.failureCondition.statusCodeRanges).toEqual([{ min: 408, max: 408 }, { min: 500, max: 599 }]);
    expect(screen.getByTestId('rule-explainer').textContent).toContain('408 or 500–599');
  });

  it('edits durations, Retry-After and error reasons; the explainer follows', () => {
    const { harness } = renderScreen(BreakersScreen, twoBackendWorkspace());
    fireEvent.change(screen.getByTestId('rule-trip-duration'), { target: { value: 'PT5M' } });
    fireEvent.click(screen.getByTestId('accept-retry-after'));
    expect(sentence()).toBe('3 failures within 1 min → open for 5 min');
    fireEvent.change(screen.getByTestId('reason-input'), { target: { value: 'timeout' } });
    fireEvent.click(screen.getByTestId('reason-add'));
    expect(screen.getByTestId('reason-chip-timeout')).toBeTruthy();
    expect(ruleOf(harness.current(), 'east')!.failureCondition.errorReasons).toEqual(['timeout']);
    // B11: 429 without Retry-After is worth a warning at the switch.
    fireEvent.click(screen.getByTestId('status-preset-429'));
    expect(screen.getByTestId('field-warning-backends.east.circuitBreaker.rules[0].acceptRetryAfter')).toBeTruthy();
  });

  it('starts a breaker from a preset on a backend without one, and removes it', () => {
    const { harness } = renderScreen(BreakersScreen, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('breaker-item-west'));
    expect(screen.queryByTestId('rule-explainer')).toBeNull();
    fireEvent.click(screen.getByTestId('breaker-preset-payg-5xx'));
    expect(sentence()).toBe('3 failures within 1 min → open for 1 min, or as long as Retry-After says');
    fireEvent.click(screen.getByTestId('remove-breaker'));
    expect(harness.current().backends.west!.circuitBreaker).toBeUndefined();
  });
});
