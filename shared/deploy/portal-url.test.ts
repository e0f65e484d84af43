import { describe, expect, it } from 'vitest';
import { isAzurePortalUrl } from './portal-url';

describe('isAzurePortalUrl', () => {
  it('accepts https portal pages of the public and sovereign clouds', () => {
    expect(isAzurePortalUrl('https://portal.azure.com/#@t/resource/subscriptions/x/overview')).toBe(true);
    expect(isAzurePortalUrl('https://portal.azure.us/#home')).toBe(true);
    expect(isAzurePortalUrl('https://portal.azure.cn/')).toBe(true);
  });
  it('refuses everything else: other hosts, look-alikes, http, credentials, ports, non-strings', () => {
    for (const bad of ['http://portal.azure.com/', 'https://portal.azure.com.evil.example/', 'https://evil.example/?portal.azure.com', 'https://user@portal.azure.com/', 'https://portal.azure.com:8443/', 'file:///etc/passwd', 'javascript:alert(1)', '', 42]) {
      expect(isAzurePortalUrl(bad)).toBe(false);
    }
  });
});
