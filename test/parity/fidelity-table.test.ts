import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIDELITY_ROWS } from '../../shared/semantics';

/*
 * The table is the promise (docs/apim-fidelity.md): the rows of its routing, breaker, retry and streaming sections are
 * exactly the ids the code names (shared/semantics/fidelity.ts), each has an anchor, and each has one named parity test.
 */
const ROOT = process.cwd();
const doc = readFileSync(join(ROOT, 'docs', 'apim-fidelity.md'), 'utf8');
const OWN = /^F-(ROUTE|CB|RETRY|STREAM|OPS)-\d+$/;

describe('the fidelity table', () => {
  const rows = [...doc.matchAll(/^\| <a id="([a-z0-9-]+)"><\/a>(F-[A-Z]+-\d+) \| (.+)$/gm)];
  const ids = rows.map((m) => m[2]!).filter((id) => OWN.test(id));

  it('lists exactly the rows the code names, each once, with its anchor', () => {
    expect([...ids].sort()).toEqual(Object.keys(FIDELITY_ROWS).sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of rows) expect(m[1]).toBe(m[2]!.toLowerCase());
  });

  it('gives every row a kind, evidence, the engine and the exported policy', () => {
    for (const m of rows.filter((r) => OWN.test(r[2]!))) {
      const cells = m[3]!.split(/ \| /);
      expect(cells, m[2]).toHaveLength(5);
      expect(cells[1], m[2]).toMatch(/^(Documented|Choice|Beyond APIM)/);
      for (const c of cells) expect(c.trim().length, m[2]).toBeGreaterThan(0);
    }
  });

  it('has one parity test per row, named by its id', () => {
    const dir = join(ROOT, 'test', 'parity');
    const names = readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts') && f !== 'fidelity-table.test.ts')
      .flatMap((f) => [...readFileSync(join(dir, f), 'utf8').matchAll(/\bit\(['"`](F-[A-Z]+-\d+):/g)].map((m) => m[1]!));
    expect([...names].sort()).toEqual([...ids].sort());
  });
});
