import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_WORKSPACE_YAML, validateWorkspaceText } from '../model';
import { apiPolicyXml, exportArmTemplate, exportBicep } from './index';

/*
 * Golden tests of the three exports of the built-in demo. The files under test/golden/ are the reviewed output;
 * regenerate them deliberately with `UPDATE_GOLDEN=1 npx vitest run shared/export/golden.test.ts` and review the diff.
 */
const GOLDEN = join(process.cwd(), 'test', 'golden');
const update = process.env.UPDATE_GOLDEN === '1';

function demo() {
  const r = validateWorkspaceText(DEMO_WORKSPACE_YAML);
  if (!r.ok) throw new Error(`the demo is invalid: ${JSON.stringify(r.errors)}`);
  return r.workspace;
}

function matchGolden(name: string, actual: string): void {
  const path = join(GOLDEN, name);
  if (update) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
  }
  expect(existsSync(path), `${path} is missing: run with UPDATE_GOLDEN=1 to create it`).toBe(true);
  // Exact comparison, line endings included: the output is what users deploy.
  expect(actual).toBe(readFileSync(path, 'utf8'));
}

/** A workspace whose fields all differ (test/golden/parity.yaml), so a swapped or dropped field changes the output. */
function parity() {
  const r = validateWorkspaceText(readFileSync(join(GOLDEN, 'parity.yaml'), 'utf8'));
  if (!r.ok) throw new Error(`parity.yaml is invalid: ${JSON.stringify(r.errors)}`);
  return r.workspace;
}

describe('golden exports of a workspace whose values differ field by field', () => {
  it('bicep', () => matchGolden('parity.bicep', exportBicep(parity(), { source: 'parity.yaml' })));
  it('arm', () => matchGolden('parity.arm.json', `${JSON.stringify(exportArmTemplate(parity()), null, 2)}\n`));
  it('policy of an API with retry, timeout, streaming', () => matchGolden('parity.azure-openai.policy.xml', apiPolicyXml(parity(), 'azure-openai')));
  it('policy of an API without retry, with a sub-second timeout', () => matchGolden('parity.batch.policy.xml', apiPolicyXml(parity(), 'batch')));
});

describe('golden exports of the demo workspace', () => {
  it('bicep', () => matchGolden('demo.bicep', exportBicep(demo(), { source: 'demo.yaml' })));
  it('arm', () => matchGolden('demo.arm.json', `${JSON.stringify(exportArmTemplate(demo()), null, 2)}\n`));
  it('policy', () => matchGolden('demo.policy.xml', apiPolicyXml(demo(), 'azure-openai')));
  it('is deterministic', () => {
    expect(exportBicep(demo())).toBe(exportBicep(demo()));
    expect(JSON.stringify(exportArmTemplate(demo()))).toBe(JSON.stringify(exportArmTemplate(demo())));
  });
});
