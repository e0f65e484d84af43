import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ApisSection } from '../apis/apis-section';
import { renderScreen, twoBackendWorkspace } from '../validation/test-harness';

describe('token limit and token metric editor (in the API card)', () => {
  it('turns a limit on, explains it in words, and edits the counter key and quota', () => {
    const { harness } = renderScreen(ApisSection, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('token-limit-toggle-chat'));
    expect(harness.current().apis!.chat!.tokenLimit).toEqual({ tokensPerMinute: 10_000, counterKey: 'subscription', estimatePromptTokens: false, flavour: 'azure-openai' });
    expect(screen.getByTestId('token-limit-explain-chat').textContent).toContain('Each subscription may use 10,000 tokens/min; the 10,001st gets 429 from APIM with Retry-After, before any backend is called.');
    fireEvent.change(screen.getByTestId('token-limit-key-chat'), { target: { value: 'header' } });
    fireEvent.change(screen.getByTestId('token-limit-key-header-chat'), { target: { value: 'x-team' } });
    fireEvent.change(screen.getByTestId('token-limit-quota-chat'), { target: { value: '500000' } });
    expect(harness.current().apis!.chat!.tokenLimit).toMatchObject({ counterKey: { header: 'x-team' }, quota: { tokens: 500_000, period: 'Monthly' } });
    expect(screen.getByTestId('token-limit-explain-chat').textContent).toContain('Each value of the x-team header may use 10,000 tokens/min');
  });

  it('shows a bad value at its field with the path', () => {
    renderScreen(ApisSection, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('token-limit-toggle-chat'));
    fireEvent.change(screen.getByTestId('token-limit-tpm-chat'), { target: { value: '12x' } });
    expect(screen.getByTestId('field-error-apis.chat.tokenLimit.tokensPerMinute').textContent).toMatch(/whole number/);
  });

  it('edits the metric: default dimensions and a custom one from a header', () => {
    const { harness } = renderScreen(ApisSection, twoBackendWorkspace());
    fireEvent.click(screen.getByTestId('token-metric-toggle-chat'));
    fireEvent.click(screen.getByTestId('token-metric-default-chat-Subscription-ID'));
    fireEvent.click(screen.getByTestId('token-metric-add-chat'));
    expect(harness.current().apis!.chat!.tokenMetric!.dimensions).toEqual(['API ID', { name: 'tenant', header: 'x-tenant' }]);
    expect(screen.getByTestId('token-metric-explain-chat').textContent).toMatch(/split by API ID, tenant/);
    fireEvent.click(screen.getByTestId('token-metric-toggle-chat'));
    expect(harness.current().apis!.chat!.tokenMetric).toBeUndefined();
  });
});
