import { describe, expect, it } from 'vitest';
import { parseWorkspaceText, validateWorkspace } from '../shared/model';
import { DEMO_WORKSPACE_YAML } from '../shared/model/demo';
import { backendResourceId, poolBackendProperties, singleBackendProperties } from '../shared/export';
import { validateAgainstSdkModel } from './support/apim-sdk-model';
import { APIM_SPEC_DIR, apimSpecNote, apimSpecSource, chooseSpecSource, validateAgainstRestSpec, validateBackendProperties, type SpecError } from './support/apim-spec';

console.info(apimSpecNote);

const parsed = parseWorkspaceText(DEMO_WORKSPACE_YAML);
const result = parsed.ok ? validateWorkspace(parsed.value) : undefined;
const ws = result?.ok ? result.workspace : undefined;
const single = () => singleBackendProperties(ws!.backends['aoai-eastus']!);
const pool = () => poolBackendProperties(ws!.pools!.mybackendpool!, (id) => backendResourceId('00000000-0000-0000-0000-000000000000', 'rg', 'svc', id));
const rule = () => (single().circuitBreaker as { rules: Array<Record<string, unknown>> }).rules[0]!;
const withRule = (patch: (r: Record<string, unknown>) => void) => {
  const s = single();
  const r = structuredClone(rule());
  patch(r);
  return { ...s, circuitBreaker: { rules: [r] } };
};

const previewPool = {
  type: 'Pool',
  pool: { services: [{ id: '/backends/a', preferredCarbonEmission: 'Low' }], failureResponse: { statusCode: 429 }, sessionAffinity: { sessionId: { source: 'cookie', name: 'SessionId' } } },
  azureRegion: 'eastus',
};

type Validate = (name: string, value: unknown) => SpecError[];
const restSpecPresent = apimSpecSource === 'rest-spec';
const validators: Array<[string, Validate, boolean]> = [
  ['the SDK serialization model', validateAgainstSdkModel, true],
  ['the REST spec', validateAgainstRestSpec, restSpecPresent],
];

/** Bodies either check must refuse, and the field each names. */
const refused: Array<[string, string, () => unknown, string]> = [
  ['a weight over 100', 'BackendContractProperties', () => ({ ...pool(), pool: { services: [{ id: '/backends/a', weight: 101 }] } }), '/pool/services/0/weight'],
  ['a status range below 200', 'BackendContractProperties', () => withRule((r) => ((r.failureCondition as Record<string, unknown>).statusCodeRanges = [{ min: 100, max: 599 }])), '/circuitBreaker/rules/0/failureCondition/statusCodeRanges/0/min'],
  ['a trip duration that is not ISO 8601', 'BackendContractProperties', () => withRule((r) => (r.tripDuration = '30 seconds')), '/circuitBreaker/rules/0/tripDuration'],
  ['a count given as text', 'BackendContractProperties', () => withRule((r) => ((r.failureCondition as Record<string, unknown>).count = '3')), '/circuitBreaker/rules/0/failureCondition/count'],
  ['an invented field in a rule', 'BackendContractProperties', () => withRule((r) => (r.halfOpen = true)), '/circuitBreaker/rules/0'],
  ['eleven error reasons', 'BackendContractProperties', () => withRule((r) => ((r.failureCondition as Record<string, unknown>).errorReasons = Array(11).fill('timeout'))), '/circuitBreaker/rules/0/failureCondition/errorReasons'],
  ['a title over 300 characters', 'BackendContractProperties', () => ({ ...single(), title: 'x'.repeat(301) }), '/title'],
  ['protocol https', 'BackendContractProperties', () => ({ ...single(), protocol: 'https' }), '/protocol'],
  ['a missing url', 'BackendContractProperties', () => ({ ...single(), url: undefined }), '/'],
  ['a named value display name with a space', 'NamedValueCreateContractProperties', () => ({ displayName: 'has space', value: 'v', secret: true }), '/displayName'],
  ['a policy format yaml', 'PolicyContractProperties', () => ({ value: '<policies />', format: 'yaml' }), '/format'],
];

describe.each(validators)('APIM body checks: %s', (name, validate, available) => {
  if (!available) console.warn(`skipping the REST spec's own checks: not found under ${APIM_SPEC_DIR} (the SDK model's run above covers the same cases)`);

  describe.skipIf(!available)(name, () => {
    it('accepts the demo backends, pool, named value and policy as exported', () => {
      expect(ws).toBeDefined();
      for (const backend of Object.values(ws!.backends)) expect(validate('BackendContractProperties', singleBackendProperties(backend))).toEqual([]);
      expect(validate('BackendContractProperties', pool()).filter((e) => !/required property '(url|protocol)'/.test(e.message))).toEqual([]);
      expect(validate('NamedValueCreateContractProperties', { displayName: 'aoai-eastus-key', value: 'v', secret: true })).toEqual([]);
      expect(validate('PolicyContractProperties', { value: '<policies />', format: 'rawxml' })).toEqual([]);
    });

    it.each(refused)('refuses %s', (_what, definition, body, path) => {
      const errors = validate(definition, JSON.parse(JSON.stringify(body())));
      expect(errors.map((e) => e.path)).toContain(path);
    });

    it('names an unknown top-level field in the words the emulator reports', () => {
      expect(validate('BackendContractProperties', { ...single(), colour: 'red' })).toEqual([{ path: '/', message: 'unknown property colour', unknown: '/colour' }]);
    });
  });
});

describe('pools as the service judges them (either source)', () => {
  it('drops the spec’s wrong url/protocol requirement for pools and refuses either field on one', () => {
    expect(validateBackendProperties(pool())).toEqual([]);
    expect(validateBackendProperties({ type: 'Pool', url: 'https://x', pool: { services: [{ id: '/backends/a' }] } })).toEqual([
      { path: '/url', message: 'Url is not supported for backend pool.' },
    ]);
    expect(validateBackendProperties({ type: 'Pool', pool: { services: [{ id: '/backends/a', weight: 101 }] } }).length).toBeGreaterThan(0);
  });
});

describe.skipIf(!restSpecPresent)('what the full REST spec adds over the SDK model', () => {
  // Both say a number; only the spec says int32/int64 and arm-id, and knows the preview's fields. The README lists these.
  it('integer formats and the arm-id format of pool members', () => {
    const fractional = withRule((r) => ((r.failureCondition as Record<string, unknown>).count = 2.5));
    expect(validateAgainstSdkModel('BackendContractProperties', fractional)).toEqual([]);
    expect(validateAgainstRestSpec('BackendContractProperties', fractional).map((e) => e.path)).toContain('/circuitBreaker/rules/0/failureCondition/count');
    const p = { type: 'Pool', pool: { services: [{ id: 'not-an-id' }] } };
    expect(validateAgainstSdkModel('BackendContractProperties', p).filter((e) => e.path !== '/')).toEqual([]);
    expect(validateAgainstRestSpec('BackendContractProperties', p).map((e) => e.path)).toContain('/pool/services/0/id');
  });

  it('the values of the 2025-03-01-preview backend fields', () => {
    const bad = { ...previewPool, pool: { ...previewPool.pool, failureResponse: { statusCode: 99 } } };
    expect(validateAgainstSdkModel('BackendContractProperties', bad, '2025-03-01-preview').filter((e) => e.path !== '/')).toEqual([]);
    expect(validateBackendProperties(bad, '2025-03-01-preview').map((e) => e.path)).toEqual(['/pool/failureResponse/statusCode']);
  });
});

describe('the 2025-03-01-preview backend definitions (either source)', () => {
  it('accepts the preview fields at the preview version and names them unknown at 2024-05-01', () => {
    expect(validateBackendProperties(previewPool, '2025-03-01-preview')).toEqual([]);
    expect(validateBackendProperties(previewPool).map((e) => e.unknown).sort()).toEqual(['/azureRegion', '/pool/failureResponse', '/pool/services/0/preferredCarbonEmission', '/pool/sessionAffinity']);
  });
});

describe('where the checks come from', () => {
  it('the REST spec when present; else the SDK model on a clone; in CI a missing spec is an error', () => {
    expect(chooseSpecSource(true, true)).toBe('rest-spec');
    expect(chooseSpecSource(false, false)).toBe('sdk-model');
    expect(() => chooseSpecSource(false, true)).toThrow(/CI needs the APIM REST spec: .*definitions\.json not found \(set APIM_SPEC_DIR/);
  });
});
