import { afterEach, describe, expect, it } from 'vitest';
import { connect, DEFAULT_ENDPOINT, importService, staticTokenCredential } from '../main/apim';
import { apimSpecMissing } from './support/apim-spec';
import { RG, startDeployFixture, SUB, SVC, TOKEN, type DeployFixture } from './support/arm-emulator/fixtures';

/*
 * Import field by field, through the real SDK against the ARM emulator: what the service sends as null or leaves
 * out is not written into the workspace (exact objects: no key appears that the service did not fill), every field
 * import models arrives, and each thing it cannot take is named in a note with its path.
 */

if (apimSpecMissing) console.warn(`skipping import field tests: ${apimSpecMissing}`);

const MI = 'https://cognitiveservices.azure.com';
const policy = (inbound: string, backend = '<forward-request />') =>
  `<policies><inbound><base />${inbound}</inbound><backend>${backend}</backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

describe.skipIf(Boolean(apimSpecMissing))('import, field by field', () => {
  let f: DeployFixture | undefined;
  afterEach(() => f?.em.close());

  it('keeps only the fields the service filled, and names what it cannot import with its path', async () => {
    f = await startDeployFixture({ apis: [] });
    const s = f.em.state;
    s.putNamedValue(f.svc, 'nv-plain', { displayName: 'plain-key', value: 'not-a-secret', secret: false });
    // The preview api-version answers null for fields that are not set.
    s.putBackend(f.svc, 'eastus', {
      url: 'https://eastus.openai.azure.com/openai',
      protocol: 'http',
      title: 'East US',
      description: null,
      azureRegion: null,
      circuitBreaker: {
        rules: [
          {
            name: 'by-share',
            failureCondition: { count: null, percentage: 50, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: null },
            tripDuration: 'PT1M',
            acceptRetryAfter: null,
            failureResponse: { statusCode: null },
          },
        ],
      },
    });
    s.putBackend(f.svc, 'westus', {
      url: 'https://westus.openai.azure.com/openai',
      protocol: 'http',
      circuitBreaker: { rules: [{ name: 'by-count', failureCondition: { count: 3, interval: 'PT5M' }, tripDuration: 'PT30S', failureResponse: {} }] },
    });
    // Plain http is a URL APIM can forward to; TLS settings and a proxy stay in APIM.
    s.putBackend(f.svc, 'onprem', {
      url: 'http://10.0.0.4/openai',
      protocol: 'http',
      description: 'on premises',
      azureRegion: 'uksouth',
      tls: { validateCertificateChain: false, validateCertificateName: false },
      proxy: { url: 'http://proxy.local:8080' },
    });
    s.putBackend(f.svc, 'keyed', { url: 'https://keyed.openai.azure.com/openai', protocol: 'http', credentials: { header: { 'api-key': ['{{missing-key}}'] } } });
    s.putBackend(f.svc, 'keyed-plain', { url: 'https://kp.openai.azure.com/openai', protocol: 'http', credentials: { header: { 'api-key': ['{{plain-key}}'] } } });
    s.putBackend(f.svc, 'fabric', { url: 'fabric:/app/svc?fallback=https://x.example', protocol: 'http' });
    s.putBackend(f.svc, 'old backend', { url: 'https://old.example/openai', protocol: 'http' });
    s.putBackend(f.svc, 'lane pool', { type: 'Pool', pool: { services: [{ id: '/backends/eastus' }] } });
    s.putBackend(f.svc, 'pool', {
      type: 'Pool',
      description: 'two lanes',
      pool: {
        services: [
          { id: '/backends/eastus', priority: null, weight: null, preferredCarbonEmission: null },
          { id: '/backends/keyed', priority: 2, weight: 10, preferredCarbonEmission: 'Low' },
        ],
        failureResponse: {},
        sessionAffinity: { sessionId: { name: 'affinity' } },
      },
    });
    s.addApi(f.svc, 'direct', { path: 'direct' }, policy(`<authentication-managed-identity resource="${MI}/" /><set-backend-service backend-id="onprem" />`));
    s.addApi(f.svc, 'pooled', { path: 'pooled' }, policy(`<authentication-managed-identity resource="${MI}" client-id="cid-1" /><set-backend-service backend-id="pool" />`));
    s.addApi(f.svc, 'lost', { path: 'lost' }, policy('<set-backend-service backend-id="nowhere" />'));
    s.addApi(f.svc, 'root', { path: '' }, policy('<set-backend-service backend-id="westus" />'));
    s.addApi(f.svc, 'retry-text', { path: 'rt' }, policy('<set-backend-service backend-id="westus" />', '<retry count="{{retries}}" condition="@(context.Response.StatusCode == 429)"><forward-request /></retry>'));
    s.addApi(f.svc, 'retry-any', { path: 'ra' }, policy('<set-backend-service backend-id="westus" />', '<retry count="2" condition="@(context.Response.StatusCode &gt;= 500)"><forward-request /></retry>'));

    const { workspace, notes } = await importService(f.conn, f.target);
    expect(workspace.backends).toStrictEqual({
      eastus: {
        url: 'https://eastus.openai.azure.com/openai',
        title: 'East US',
        auth: { type: 'managed-identity', clientId: 'cid-1' },
        circuitBreaker: { rules: [{ name: 'by-share', failureCondition: { percentage: 50, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] }, tripDuration: 'PT1M' }] },
      },
      westus: { url: 'https://westus.openai.azure.com/openai', circuitBreaker: { rules: [{ name: 'by-count', failureCondition: { count: 3, interval: 'PT5M' }, tripDuration: 'PT30S' }] } },
      onprem: { url: 'http://10.0.0.4/openai', description: 'on premises', azureRegion: 'uksouth', auth: { type: 'managed-identity' } },
      keyed: { url: 'https://keyed.openai.azure.com/openai', auth: { type: 'api-key', secret: 'missing-key' } },
      'keyed-plain': { url: 'https://kp.openai.azure.com/openai', auth: { type: 'api-key', secret: 'plain-key' } },
    });
    // The pool's members would sign in two ways (the policy's managed identity for eastus, keyed's api key): the
    // workspace cannot hold that, so the pool is left out and then the API that routes to it (notes below).
    expect(workspace.pools).toBeUndefined();
    expect(workspace.apis).toStrictEqual({
      direct: { path: 'direct', backend: 'onprem' },
      // Imported without its retry (the note says apply would remove it).
      'retry-text': { path: 'rt', backend: 'westus' },
      'retry-any': { path: 'ra', backend: 'westus', retry: { count: 2, on: [429, 503] } },
    });
    expect(notes).toEqual([
      'backends.onprem: tls, proxy not modeled by the workspace; kept in APIM (apply leaves them as they are)',
      "backends.keyed.auth: named value 'missing-key' is referenced but not in APIM",
      "backends.keyed-plain.auth: named value 'plain-key' is not marked secret in APIM; apply marks it secret when the value is available locally",
      'backends.fabric: url "fabric:/app/svc?fallback=https://x.example" is not an http(s) URL (Service Fabric?); not imported (kept in APIM; --prune would delete it)',
      'backends.old backend: the id cannot be a workspace id; not imported (kept in APIM)',
      'pools.lane pool: the id cannot be a workspace id; not imported (kept in APIM)',
      "apis.pooled: the policy signs in with managed identity, but backend 'keyed' uses an api key; apply would remove the managed-identity element",
      "apis.lost: routes to 'nowhere', which was not imported; not imported",
      "apis.root: id or path '' cannot be written in a workspace; not imported",
      'apis.retry-text.retry: count "{{retries}}" is not a number; not imported (apply would remove the <retry>)',
      'apis.retry-any.retry: condition "@(context.Response.StatusCode >= 500)" is not a list of status codes; the workspace says [429, 503] and apply would replace it',
      'apis.retry-any.retry: waits between tries (no interval); Breakerboard rehearses tries at once and apply writes interval="0" first-fast-retry="true" (F-RETRY-1)',
      'pools.pool: not imported, the workspace cannot hold it as APIM has it (pools.pool.services: members mix managed-identity with other auth types: managed identity is an API-level policy in APIM, so all members of one pool must share it); kept in APIM as it is (--prune would delete it)',
      'apis.pooled: not imported, the workspace cannot hold it as APIM has it (apis.pooled.backend: no backend or pool named "pool"); kept in APIM as it is',
    ]);
  });

  it('a second API signing in to a backend the same way adds no note; another identity is named', async () => {
    f = await startDeployFixture({ apis: [] });
    const s = f.em.state;
    s.putBackend(f.svc, 'a', { url: 'https://a.openai.azure.com/openai', protocol: 'http' });
    s.putBackend(f.svc, 'p', { type: 'Pool', pool: { services: [{ id: '/backends/a' }] } });
    s.addApi(f.svc, 'chat', { path: 'chat' }, policy(`<authentication-managed-identity resource="${MI}" /><set-backend-service backend-id="a" />`));
    s.addApi(f.svc, 'embeddings', { path: 'embeddings' }, policy(`<authentication-managed-identity resource="${MI}" /><set-backend-service backend-id="p" />`));
    s.addApi(f.svc, 'batch', { path: 'batch' }, policy(`<authentication-managed-identity resource="${MI}" client-id="cid-2" /><set-backend-service backend-id="a" />`));
    const { workspace, notes } = await importService(f.conn, f.target);
    expect((workspace.backends as Record<string, unknown>).a).toStrictEqual({ url: 'https://a.openai.azure.com/openai', auth: { type: 'managed-identity' } });
    expect(Object.keys(workspace.apis as object)).toEqual(['chat', 'embeddings', 'batch']);
    expect(notes).toEqual(["apis.batch: the policy signs in with another managed identity than an earlier API's policy for backend 'a'; the workspace keeps the earlier one"]);
  });

  it('an API whose policy is not well-formed as read is not imported, with a note naming what and where', async () => {
    f = await startDeployFixture({ apis: [] });
    const s = f.em.state;
    s.putBackend(f.svc, 'a', { url: 'https://a.openai.azure.com/openai', protocol: 'http' });
    s.addApi(f.svc, 'chat', { path: 'chat' }, policy('<set-backend-service backend-id="a" />'));
    // A retry never closed: read as is, the policy's elements after it would seem to be inside it.
    s.addApi(f.svc, 'broken', { path: 'broken' }, policy('<set-backend-service backend-id="a" />', '<retry condition="@(true)" count="2"><forward-request />'));
    const { workspace, notes } = await importService(f.conn, f.target);
    expect(Object.keys(workspace.apis as object)).toEqual(['chat']);
    expect(notes).toEqual([
      "apis.broken: its policy is not well-formed XML as Breakerboard reads it: <retry> is never closed (line 1, column 85); not imported (its wiring could be misread), and apply leaves it alone",
    ]);
  });

  it('leaves out an API routed by another set-backend-service, and names forwarding, waits and a timeout it cannot hold', async () => {
    f = await startDeployFixture({ apis: [] });
    const s = f.em.state;
    s.putBackend(f.svc, 'a', { url: 'https://a.openai.azure.com/openai', protocol: 'http' });
    s.putBackend(f.svc, 'b', { url: 'https://b.openai.azure.com/openai', protocol: 'http' });
    // The AI-Gateway model-routing shape: the route is the policy's own logic.
    s.addApi(f.svc, 'routed', { path: 'routed' }, policy('<set-backend-service backend-id="a" /><choose><when condition="@(true)"><set-backend-service backend-id="b" /></when></choose>'));
    // The landing zone's shape: the forwarding is in a fragment.
    s.addApi(f.svc, 'fragment', { path: 'fragment' }, policy('<set-backend-service backend-id="a" />', '<include-fragment fragment-id="retry-with-payg" />'));
    s.addApi(f.svc, 'waits', { path: 'waits' }, policy('<set-backend-service backend-id="a" />', '<retry condition="@(context.Response.StatusCode == 429)" count="5" interval="1" delta="1" max-interval="8" first-fast-retry="false"><forward-request timeout="{{aoai-timeout}}" /></retry>'));
    const { workspace, notes } = await importService(f.conn, f.target);
    expect(workspace.apis).toStrictEqual({
      fragment: { path: 'fragment', backend: 'a' },
      waits: { path: 'waits', backend: 'a', retry: { count: 5, on: [429] } },
    });
    expect(notes).toEqual([
      "apis.routed: not imported: <set-backend-service> at line 1, column 100 (inside <when>) also sets the backend, so Breakerboard's set-backend-service would not decide the route: keep one set-backend-service, first in <inbound>, or manage this API's routing by hand",
      "apis.fragment: apply can change its retry and forward-request only after this is resolved: its <backend> also forwards (or may) through <include-fragment> at line 1, column 85, so with Breakerboard's forward-request each request could go to the backend twice: leave one <base /> or <forward-request /> in <backend> (inside the <retry>, if there is one), or manage this API's forwarding by hand",
      'apis.fragment: policy elements not modeled by the workspace, kept in APIM as they are (apply rewrites only set-backend-service, its retry and forward-request, the Azure OpenAI managed identity, the token limit and token metric policies, its own on-error block and its served-by header): backend: include-fragment',
      'apis.waits.retry: waits between tries (interval=1 delta=1 max-interval=8 first-fast-retry=false); Breakerboard rehearses tries at once and apply writes interval="0" first-fast-retry="true" (F-RETRY-1)',
      'apis.waits.timeout: forward-request timeout="{{aoai-timeout}}" is not a number; not imported (apply keeps it while the workspace sets no timeout)',
    ]);
  });

  it('writes no empty pools or apis, and no endpoint for public Azure', async () => {
    f = await startDeployFixture({ apis: [] });
    f.em.state.putBackend(f.svc, 'only', { url: 'https://only.openai.azure.com/openai', protocol: 'http' });
    // A connection that says public Azure; its pipeline sends every request to the emulator instead (and refuses
    // anything it could not send there, so nothing leaves this machine).
    const emUrl = f.em.url;
    const conn = { ...connect(SUB, { credential: staticTokenCredential(TOKEN), endpoint: emUrl, retry: { maxRetries: 0 } }), endpoint: DEFAULT_ENDPOINT };
    conn.sdk.pipeline.addPolicy({
      name: 'to-emulator',
      sendRequest: (req, next) => {
        if (req.url.startsWith(DEFAULT_ENDPOINT)) req.url = emUrl + req.url.slice(DEFAULT_ENDPOINT.length);
        if (!req.url.startsWith(emUrl)) throw new Error(`refused: ${req.url} is not the emulator`);
        return next(req);
      },
    });
    const { workspace, notes } = await importService(conn, { subscription: SUB, resourceGroup: RG, service: SVC });
    expect(workspace).toStrictEqual({
      version: 1,
      backends: { only: { url: 'https://only.openai.azure.com/openai' } },
      target: { subscription: SUB, resourceGroup: RG, service: SVC },
    });
    expect(notes).toEqual([]);
  });
});
