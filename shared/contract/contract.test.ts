import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { ZodType } from 'zod';
import { createSpyServices } from '../../main/control/testing/spy-services';
import { createApiClient, type Transport } from './client';
import { dispatch } from './dispatch';
import { CONTRACT_EXAMPLES } from './examples';
import { channelName, contract, contractEvents, contractMethods, CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META, ContractError, ipcChannel, type ServiceName } from './index';

describe('the contract', () => {
  it('has a valid and an invalid example payload for every method, and they parse as they should', () => {
    for (const { service, method } of contractMethods) {
      const example = CONTRACT_EXAMPLES[service]?.[method];
      expect(example, `${service}.${method} has no example`).toBeDefined();
      const input = (contract[service].methods as Record<string, { input?: ZodType }>)[method]!.input;
      if (input) {
        expect(input.safeParse(example!.valid).success, `${service}.${method} valid`).toBe(true);
        expect(input.safeParse(example!.invalid).success, `${service}.${method} invalid`).toBe(false);
      }
    }
    const extra = Object.entries(CONTRACT_EXAMPLES).flatMap(([s, ms]) => Object.keys(ms).filter((m) => !contractMethods.some((e) => e.service === s && e.method === m)));
    expect(extra).toEqual([]);
  });

  it('derives every channel name from the contract', () => {
    expect(contractMethods.map((m) => m.channel)).toContain('workspace.save');
    expect(contractEvents.map((e) => e.channel)).toContain('workspace.changed');
    expect(ipcChannel('workspace', 'save')).toBe('breakerboard:workspace.save');
    expect(new Set(contractMethods.map((m) => m.channel)).size).toBe(contractMethods.length);
    for (const e of contractEvents) expect(contractMethods.some((m) => m.channel === e.channel), `${e.channel} clashes with a method`).toBe(false);
  });

  it('keeps renderer/index.html on the one CSP', () => {
    const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(CONTENT_SECURITY_POLICY_META);
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("style-src 'self' 'unsafe-inline'");
  });
});

describe('dispatch (the receiving end of every transport)', () => {
  it('calls the method with the parsed payload', async () => {
    const spy = createSpyServices();
    const r = await dispatch(spy.api, 'workspace', 'open', { path: '/x.yaml' });
    expect(r).toEqual({ ok: true, value: { echo: { path: '/x.yaml' } } });
    expect(spy.calls).toEqual([{ service: 'workspace', method: 'open', input: { path: '/x.yaml' } }]);
  });

  it('refuses unknown names and bad payloads without calling anything', async () => {
    const spy = createSpyServices();
    for (const [s, m, p] of [
      ['nope', 'open', {}],
      ['workspace', 'constructor', {}],
      ['workspace', 'toString', undefined],
      ['workspace', 'open', { path: 42 }],
      ['workspace', 'open', { path: 'a', extra: true }],
      ['workspace', 'current', { unexpected: 1 }],
    ] as const) {
      const r = await dispatch(spy.api, s, m, p);
      expect(r.ok, `${s}.${m}`).toBe(false);
    }
    expect(spy.calls).toEqual([]);
    const bad = await dispatch(spy.api, 'workspace', 'open', { path: 42 });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request', path: 'path' } });
  });

  it('wraps a thrown ContractError, and any other error as internal', async () => {
    const spy = createSpyServices();
    (spy.api.workspace as unknown as { save: () => Promise<never> }).save = async () => {
      throw new ContractError('needs-path', 'choose a file');
    };
    expect(await dispatch(spy.api, 'workspace', 'save', undefined)).toEqual({ ok: false, error: { code: 'needs-path', message: 'choose a file' } });
    (spy.api.app as unknown as { info: () => Promise<never> }).info = async () => {
      throw new Error('boom');
    };
    expect(await dispatch(spy.api, 'app', 'info', undefined)).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});

describe('createApiClient (the calling end)', () => {
  const info = { name: 'Breakerboard', version: '0.1.0', platform: 'serve', nativeDialogs: false, cwd: '/w' };
  const transport = (answer: unknown, events: Record<string, (p: unknown) => void> = {}): Transport => ({
    call: async () => answer as never,
    subscribe: (s, e, l) => {
      events[channelName(s, e)] = l;
      return () => delete events[channelName(s, e)];
    },
  });

  it('returns validated values and throws ContractErrors with code and path', async () => {
    expect(await createApiClient(transport({ ok: true, value: info })).app.info()).toEqual(info);
    const err = await createApiClient(transport({ ok: false, error: { code: 'invalid-workspace', message: 'no', path: 'pools.p' } }))
      .workspace.save()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect(err).toMatchObject({ code: 'invalid-workspace', path: 'pools.p' });
    await expect(createApiClient(transport({ ok: true, value: { wrong: 1 } })).app.info()).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers only events that match their schema', () => {
    const events: Record<string, (p: unknown) => void> = {};
    const api = createApiClient(transport(null, events));
    const got: unknown[] = [];
    const off = api.app.onCommand((p) => got.push(p));
    events['app.command']!({ command: 'save' });
    events['app.command']!({ command: 'format-disk' });
    off();
    expect(got).toEqual([{ command: 'save' }]);
    expect(events['app.command']).toBeUndefined();
  });

  it('exposes every contract member and nothing else', () => {
    const api = createApiClient(transport(null)) as unknown as Record<ServiceName, Record<string, unknown>>;
    for (const { service, method } of contractMethods) expect(typeof api[service][method]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
  });
});
