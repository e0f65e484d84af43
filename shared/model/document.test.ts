import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { propertyRuns, validWorkspaceArb } from '../../test/support/workspace-arbitrary';
import { DEMO_WORKSPACE_YAML } from './demo';
import { serializeWorkspace, updateDocument } from './document';
import { parseWorkspaceText } from './parse-text';
import { validateWorkspace } from './validate';

/*
 * Load → save → load is lossless for every valid workspace (YAML and JSON), and saving into the document it was
 * read from keeps the user's comments and key order.
 */

function load(text: string) {
  const parsed = parseWorkspaceText(text);
  if (!parsed.ok) throw new Error(`did not parse: ${JSON.stringify(parsed.errors)}\n${text}`);
  const result = validateWorkspace(parsed.value);
  if (!result.ok) throw new Error(`did not validate: ${JSON.stringify(result.errors)}\n${text}`);
  return { parsed, result };
}

const comments = (text: string) => text.split('\n').flatMap((l) => (l.match(/#\s.*$/) ?? []).map((c) => c.trim()));

describe('load → save → load', () => {
  it('every generated workspace validates', () => {
    fc.assert(
      fc.property(validWorkspaceArb, (ws) => {
        const r = validateWorkspace(ws);
        expect(r.ok, JSON.stringify(r.errors)).toBe(true);
      }),
      propertyRuns(),
    );
  });

  for (const format of ['yaml', 'json'] as const) {
    it(`is lossless as ${format}`, () => {
      fc.assert(
        fc.property(validWorkspaceArb, (ws) => {
          const first = load(serializeWorkspace(ws, format));
          expect(first.parsed.value).toEqual(ws);
          const second = load(serializeWorkspace(first.parsed.value, format));
          expect(second.result).toEqual(first.result);
        }),
        propertyRuns(),
      );
    });
  }

  it('is lossless through the document of another file (updateDocument)', () => {
    fc.assert(
      fc.property(validWorkspaceArb, (ws) => {
        const demo = parseWorkspaceText(DEMO_WORKSPACE_YAML);
        if (!demo.ok) throw new Error('demo');
        const text = serializeWorkspace(ws, 'yaml', demo.doc);
        expect(load(text).parsed.value).toEqual(ws);
      }),
      propertyRuns(),
    );
  });
});

describe('saving into the original document', () => {
  const demoDoc = () => {
    const parsed = parseWorkspaceText(DEMO_WORKSPACE_YAML);
    if (!parsed.ok) throw new Error('demo');
    return parsed;
  };

  it('an unchanged save writes the demo back byte for byte', () => {
    const { doc, value } = demoDoc();
    expect(serializeWorkspace(value, 'yaml', doc)).toBe(DEMO_WORKSPACE_YAML);
  });

  it('changing one weight keeps every comment and changes only that line', () => {
    const { doc, value } = demoDoc();
    const edited = structuredClone(value) as { pools: { mybackendpool: { services: { weight: number }[] } } };
    edited.pools.mybackendpool.services[1]!.weight = 5;
    const saved = serializeWorkspace(edited, 'yaml', doc);
    expect(comments(saved)).toEqual(comments(DEMO_WORKSPACE_YAML));
    expect(comments(DEMO_WORKSPACE_YAML).length).toBeGreaterThanOrEqual(4);
    const before = DEMO_WORKSPACE_YAML.split('\n');
    const after = saved.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((l, i) => (l === before[i] ? [] : [[before[i], l]]));
    expect(changed).toEqual([['      - { backend: aoai-uksouth, priority: 1, weight: 1 }', '      - { backend: aoai-uksouth, priority: 1, weight: 5 }']]);
    expect(load(saved).result).toMatchObject({ ok: true, workspace: { pools: { mybackendpool: { services: [{ weight: 10 }, { weight: 5 }] } } } });
  });

  it('scalar edits of any value are spliced in place and read back exactly', () => {
    const edits = fc.record({
      weight: fc.integer({ min: 0, max: 100 }),
      description: fc.oneof(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom('yes', 'null', '# x', 'a: b', '{y}', "it's", '"q"', 'line\nbreak', '12', ' pad ')),
      interval: fc.constantFrom('PT30S', 'PT2M', 'P1D'),
      accept: fc.boolean(),
    });
    fc.assert(
      fc.property(edits, ({ weight, description, interval, accept }) => {
        const { doc, value } = demoDoc();
        const edited = structuredClone(value) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
        edited.pools.mybackendpool.services[0].weight = weight;
        edited.backends['aoai-eastus'].description = description;
        edited.backends['aoai-uksouth'].circuitBreaker.rules[0].failureCondition.interval = interval;
        edited.backends['aoai-uksouth'].circuitBreaker.rules[0].acceptRetryAfter = accept;
        const saved = serializeWorkspace(edited, 'yaml', doc);
        expect(parseWorkspaceText(saved)).toMatchObject({ ok: true, value: edited });
        for (const c of comments(DEMO_WORKSPACE_YAML)) expect(saved).toContain(c);
        expect(saved.split('\n').length).toBe(DEMO_WORKSPACE_YAML.split('\n').length);
      }),
      propertyRuns(),
    );
  });

  it('keeps key order and comments when a backend is added and another removed', () => {
    const { doc, value } = demoDoc();
    const edited = structuredClone(value) as Record<string, Record<string, unknown>>;
    edited.backends!['aoai-westus'] = { url: 'https://westus.example.com/openai' };
    delete edited.simulation!['aoai-uksouth'];
    const saved = updateDocument(doc, edited).toString();
    expect(Object.keys(load(saved).parsed.value as object)).toEqual(['version', 'backends', 'pools', 'apis', 'simulation']);
    expect(saved).toContain('# clients call http://<gateway>/openai/deployments/...');
    expect(saved).toContain('# local stand-ins, used by `gateway --simulate` and drills');
    expect(saved.indexOf('aoai-westus')).toBeGreaterThan(saved.indexOf('aoai-uksouth:'));
    expect(saved).not.toMatch(/aoai-uksouth: \{ tokensPerMinute/);
  });
});
