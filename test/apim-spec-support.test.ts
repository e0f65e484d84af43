import { describe, expect, it } from 'vitest';
import { parseWorkspaceText, validateWorkspace } from '../shared/model';
import { DEMO_WORKSPACE_YAML } from '../shared/model/demo';
import { backendResourceId, poolBackendProperties, singleBackendProperties } from '../shared/export';
import { apimSpecMissing, validateBackendProperties } from './support/apim-spec';

if (apimSpecMissing) console.warn(`skipping APIM spec conformance: ${apimSpecMissing}`);

describe.skipIf(Boolean(apimSpecMissing))('APIM spec support (ajv over definitions.json)', () => {
  const parsed = parseWorkspaceText(DEMO_WORKSPACE_YAML);
  const result = parsed.ok ? validateWorkspace(parsed.value) : undefined;
  const ws = result?.ok ? result.workspace : undefined;

  it('accepts the demo backends and pool as exported', () => {
    expect(ws).toBeDefined();
    for (const backend of Object.values(ws!.backends)) expect(validateBackendProperties(singleBackendProperties(backend))).toEqual([]);
    const pool = poolBackendProperties(ws!.pools!.mybackendpool!, (id) => backendResourceId('00000000-0000-0000-0000-000000000000', 'rg', 'svc', id));
    expect(validateBackendProperties(pool)).toEqual([]);
  });

  it('rejects what the spec or the service rejects', () => {
    const single = singleBackendProperties(ws!.backends['aoai-eastus']!);
    expect(validateBackendProperties({ ...single, protocol: 'https' }).length).toBeGreaterThan(0);
    expect(validateBackendProperties({ ...single, colour: 'red' })).toEqual([{ path: '/', message: 'unknown property colour', unknown: '/colour' }]);
    const { url: _url, ...noUrl } = single;
    expect(validateBackendProperties(noUrl).length).toBeGreaterThan(0);
    expect(validateBackendProperties({ type: 'Pool', url: 'https://x', pool: { services: [{ id: '/backends/a' }] } })).toEqual([
      { path: '/url', message: 'Url is not supported for backend pool.' },
    ]);
    expect(validateBackendProperties({ type: 'Pool', pool: { services: [{ id: '/backends/a', weight: 101 }] } }).length).toBeGreaterThan(0);
  });
});

describe.skipIf(Boolean(apimSpecMissing))('APIM spec support: the 2025-03-01-preview backend definitions', () => {
  it('accepts the preview fields at the preview version and names them unknown at 2024-05-01', () => {
    const pool = { type: 'Pool', pool: { services: [{ id: '/backends/a', preferredCarbonEmission: 'Low' }], failureResponse: { statusCode: 429 }, sessionAffinity: { sessionId: { source: 'cookie', name: 'SessionId' } } }, azureRegion: 'eastus' };
    expect(validateBackendProperties(pool, '2025-03-01-preview')).toEqual([]);
    expect(validateBackendProperties(pool).map((e) => e.unknown).sort()).toEqual(['/azureRegion', '/pool/failureResponse', '/pool/services/0/preferredCarbonEmission', '/pool/sessionAffinity']);
    expect(validateBackendProperties({ ...pool, pool: { ...pool.pool, failureResponse: { statusCode: 99 } } }, '2025-03-01-preview').map((e) => e.path)).toEqual(['/pool/failureResponse/statusCode']);
  });
});
