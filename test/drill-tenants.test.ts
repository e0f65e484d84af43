import { describe, expect, it } from 'vitest';
import { startGateway } from '../main/gateway';
import { formatDrillReport, runDrill } from '../main/loadgen';
import { startSimulators } from '../main/simulator';
import type { Workspace } from '../shared/model';
import { checkDrillAgainstWorkspace, parseDrill, tenantSequence, type Drill } from '../shared/simulation';
import { estimateChatPromptTokens } from '../shared/simulation/tokens';
import { DEFAULT_MAX_TOKENS, DEFAULT_PROMPT } from '../main/loadgen/target';
import { simWorkspace } from './simulator-support';

/*
 * A drill with two tenants behind one token limit (issue 18): "tenant A never gets a 429 from the token limit
 * while tenant B is capped", on simulated backends through the real local gateway, at speed 10, in virtual time
 * (the drill's clock shared by load, gateway and simulator), so the counts do not depend on the machine.
 */
const drillOf = (value: unknown): Drill => {
  const r = parseDrill(value);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.drill;
};

function workspace(): Workspace {
  const ws = simWorkspace({ east: { latencyMs: { p50: 2, p99: 5 } }, west: { latencyMs: { p50: 2, p99: 5 } } });
  ws.apis!['azure-openai']!.tokenLimit = { tokensPerMinute: 2000, counterKey: { header: 'x-tenant' }, estimatePromptTokens: false, flavour: 'azure-openai' };
  return ws;
}

const TOKENS = estimateChatPromptTokens([{ role: 'user', content: DEFAULT_PROMPT }]) + DEFAULT_MAX_TOKENS;

describe('drill with tenants', () => {
  it('spreads tenants by share, evenly', () => {
    const next = tenantSequence({ a: 1, b: 3 });
    const seq = Array.from({ length: 8 }, next);
    expect(seq.filter((t) => t === 'a')).toHaveLength(2);
    expect(seq.slice(0, 4).filter((t) => t === 'a')).toHaveLength(1);
  });

  it('refuses expectations naming a tenant the load does not send, with the field path', () => {
    const d = drillOf({ version: 1, load: { rps: 1, duration: 'PT1S', tenants: { header: 'x-tenant', shares: { a: 1 } } }, expect: { tokenLimited: { never: ['a'], capped: ['b'] } } });
    expect(checkDrillAgainstWorkspace(d, workspace())).toEqual([{ path: 'expect.tokenLimited.capped[0]', message: 'no tenant "b" in load.tenants.shares (it has: a)' }]);
    const bad = parseDrill({ version: 1, load: { rps: 1, duration: 'PT1S', tenants: { header: 'x tenant', shares: { a: 0 } } } });
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['load.tenants.header', 'load.tenants.shares.a']);
  });

  it('tenant A never gets a 429 from the token limit while tenant B is capped', async () => {
    const drill = drillOf({
      version: 1,
      load: { rps: 4, duration: 'PT60S', tenants: { header: 'x-tenant', shares: { 'tenant-a': 1, 'tenant-b': 3 } } },
      expect: { tokenLimited: { never: ['tenant-a'], capped: ['tenant-b'] } },
    });
    const r = await runDrill({ workspace: workspace(), drill, speed: 10, startGateway, startSimulators, virtualTime: true });
    expect(r.requests).toBe(240);
    expect(r.tenants!['tenant-a']).toMatchObject({ requests: 60, ok: 60, tokenLimited: 0 });
    const b = r.tenants!['tenant-b']!;
    expect(b.requests).toBe(180);
    // Virtual time makes the count exact: tenant B's minute holds 2000 tokens, charged from each answer's usage
    // (prompt + 10 completion tokens), and the drill is one minute long.
    expect(b.ok).toBe(Math.ceil(2000 / TOKENS));
    expect(b.tokenLimited).toBe(180 - b.ok);
    expect(b.backend429).toBe(0);
    expect(r.expectations.map((x) => [x.name, x.pass])).toEqual([
      ['tokenLimited never tenant-a', true],
      ['tokenLimited capped tenant-b', true],
    ]);
    expect(r.pass).toBe(true);
    expect(formatDrillReport(r).join('\n')).toMatch(/tenant-b: 180 requests, \d+ ok, \d+ token-limited \(429\)/);
  });
});
