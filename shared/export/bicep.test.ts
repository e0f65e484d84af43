import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { demoWorkspace, propertyRuns, valid, validWorkspaceArb, workspaceWith } from '../../test/support/workspace-arbitrary';
import { exportBicep } from './bicep';

/* The Bicep export read against APIM-SEMANTICS §7: one property per line, BCP035 before a pool's properties, members by `.id`, @secure() params, rawxml. */


const demo = demoWorkspace();

/** The lines outside the verbatim policy strings ('''…'''), where Bicep syntax rules apply. */
function codeLines(bicep: string): string[] {
  return bicep.replace(/'''[\s\S]*?'''/g, "'''policy'''").split('\n');
}

/** The body lines of `resource <symbol> …`, up to its closing brace. */
function resourceBlock(bicep: string, symbol: string): string[] {
  const lines = codeLines(bicep);
  const start = lines.findIndex((l) => l.startsWith(`resource ${symbol} `));
  expect(start, `resource ${symbol}`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf('}', start);
  return lines.slice(start, end + 1);
}

/** Brackets balance outside string literals (a cheap stand-in for the Bicep parser, which is not available here). */
function balanced(bicep: string): boolean {
  const code = codeLines(bicep)
    .map((l) => l.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/\/\/.*$/, ''))
    .join('\n');
  const stack: string[] = [];
  const pairs: Record<string, string> = { '}': '{', ']': '[', ')': '(' };
  for (const ch of code) {
    if ('{[('.includes(ch)) stack.push(ch);
    else if (ch in pairs && stack.pop() !== pairs[ch]) return false;
  }
  return stack.length === 0;
}

describe('exportBicep', () => {
  const bicep = exportBicep(demo);

  it('writes one property per line: no inline objects or comma-separated entries', () => {
    for (const line of codeLines(bicep)) {
      if (line.trim().startsWith('//') || line.trim().startsWith('@')) continue;
      expect(line, line).not.toMatch(/\{\s*\S+:|,\s*\w+:|^\s*\w+: .*,\s*$/);
    }
    expect(balanced(bicep)).toBe(true);
  });

  it("puts '#disable-next-line BCP035' directly before each pool's properties, and nowhere else", () => {
    const pool = resourceBlock(bicep, 'poolMybackendpool');
    const at = pool.findIndex((l) => l.trim() === '#disable-next-line BCP035');
    expect(at).toBeGreaterThan(0);
    expect(pool[at + 1]).toBe('  properties: {');
    expect(bicep.match(/#disable-next-line/g)).toHaveLength(1);
    expect(pool.join('\n')).not.toMatch(/\burl:|\bprotocol:/);
    expect(pool).toContain("    type: 'Pool'");
  });

  it('references members through the member resources\' ids', () => {
    const pool = resourceBlock(bicep, 'poolMybackendpool');
    expect(pool).toContain('          id: backendAoaiEastus.id');
    expect(pool).toContain('          id: backendAoaiUksouth.id');
    expect(resourceBlock(bicep, 'backendAoaiEastus')[0]).toBe("resource backendAoaiEastus 'Microsoft.ApiManagement/service/backends@2024-05-01' = {");
  });

  it('takes secrets as @secure() params feeding secret named values', () => {
    const lines = bicep.split('\n');
    const param = lines.indexOf('param aoaiEastusKey string');
    expect(lines.slice(param - 2, param)).toEqual(['@secure()', "@description('Value of the secret named value aoai-eastus-key')"]);
    const nv = resourceBlock(bicep, 'namedValueAoaiEastusKey');
    expect(nv).toEqual(expect.arrayContaining(["  name: 'aoai-eastus-key'", '    secret: true', '    value: aoaiEastusKey']));
    expect(resourceBlock(bicep, 'backendAoaiEastus').join('\n')).toContain("'{{aoai-eastus-key}}'");
  });

  it('writes the api policy as rawxml, verbatim, on the existing api', () => {
    expect(bicep).toContain("resource apiAzureOpenai 'Microsoft.ApiManagement/service/apis@2024-05-01' existing = {");
    const policy = resourceBlock(bicep, 'policyAzureOpenai');
    expect(policy).toEqual(expect.arrayContaining(['  parent: apiAzureOpenai', "  name: 'policy'", "    format: 'rawxml'", "    value: '''policy'''"]));
    expect(bicep).toMatch(/value: '''\n<policies>[\s\S]*<\/policies>\n'''/);
  });

  it('quotes and escapes strings the Bicep way', () => {
    const ws = valid(workspaceWith({ 'backends.b1.description': "it's ${not} a \\ path", 'backends.b1.title': 'line\nbreak' }));
    const b1 = resourceBlock(exportBicep(ws), 'backendB1').join('\n');
    expect(b1).toContain("description: 'it\\'s \\${not} a \\\\ path'");
    expect(b1).toContain("title: 'line\\nbreak'");
  });

  it('never names a parameter or symbol with a reserved word', () => {
    const ws = valid(workspaceWith({ 'backends.b1.auth.secret': 'true', 'backends.b2.auth.secret': 'resource' }));
    const out = exportBicep(ws);
    expect(out).toContain('param trueValue string');
    expect(out).toContain('param resourceValue string');
    expect(out).not.toMatch(/^param (true|resource) /m);
  });

  it("falls back to an escaped string when the policy contains '''", () => {
    const auth = { type: 'managed-identity', resource: "https://x.example.com/'''" };
    const ws = valid(workspaceWith({ 'backends.b1.auth': auth, 'backends.b2.auth': auth }));
    const out = exportBicep(ws);
    expect(out).toMatch(/value: '<policies>\\n.*\\'\\'\\'.*<\/policies>\\n'/);
    expect(balanced(out)).toBe(true);
  });

  it('stays well-formed for every generated valid workspace', () => {
    fc.assert(
      fc.property(validWorkspaceArb, (value) => {
        const ws = valid(value);
        const out = exportBicep(ws);
        expect(balanced(out)).toBe(true);
        const pools = Object.keys(ws.pools ?? {}).length;
        expect(out.match(/^ {2}#disable-next-line BCP035\n {2}properties: \{$/gm) ?? []).toHaveLength(pools);
        expect(out.match(/^@secure\(\)$/gm) ?? []).toHaveLength(new Set(Object.values(ws.backends).flatMap((b) => (b.auth?.type === 'api-key' ? [b.auth.secret] : []))).size);
        const symbols = [...out.matchAll(/^(?:resource|param) (\w+) /gm)].map((m) => m[1]);
        expect(new Set(symbols).size).toBe(symbols.length);
      }),
      propertyRuns(),
    );
  });
});
