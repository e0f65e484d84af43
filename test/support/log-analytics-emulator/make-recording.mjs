// Writes demo-recording.json: ApiManagementGatewayLogs / ApiManagementGatewayLlmLog rows in the query API's
// column shape for the demo scenario (no real service may be called from here, so the rows are synthesized from
// the documented schema): 15 minutes at one request every 2 s, 10:1 weighting, EastUS throttled at 10:05 and
// without traffic for a minute, two APIM-answered 503s at 10:10, and rows of another service that must be filtered.
// Run: node test/support/log-analytics-emulator/make-recording.mjs
import { writeFileSync } from 'node:fs';

const SERVICE = '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg-ai/providers/microsoft.apimanagement/service/my-apim';
const OTHER = '/subscriptions/11111111-2222-3333-4444-555555555555/resourcegroups/rg-ai/providers/microsoft.apimanagement/service/other-apim';
const start = Date.parse('2026-11-25T10:00:00.000Z');
const columns = ['TimeGenerated', '_ResourceId', 'ApiId', 'CorrelationId', 'BackendId', 'BackendResponseCode', 'ResponseCode', 'BackendTime', 'LastErrorReason', '_IngestionSeconds'];
const types = ['datetime', 'string', 'string', 'string', 'string', 'int', 'int', 'long', 'string', 'real'];
const rows = [];
const llm = [];
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
for (let i = 0; i < 450; i++) {
  const t = start + i * 2000;
  const s = (t - start) / 1000;
  let backend = i % 11 === 10 ? 'aoai-uksouth' : 'aoai-eastus';
  let code = 200;
  let reason = '';
  if (s >= 300 && s < 306 && backend === 'aoai-eastus') code = 429;
  if (s >= 306 && s < 390) backend = 'aoai-uksouth';
  let response = code;
  if (s >= 600 && s < 604) {
    backend = '';
    code = null;
    response = 503;
    reason = 'BackendPoolUnavailable';
  }
  const id = `c-${i}`;
  rows.push([new Date(t).toISOString(), SERVICE, 'azure-openai', id, backend, code, response, backend ? 300 + Math.round(rand() * 400) : 0, reason, 60 + Math.round(rand() * 90)]);
  if (response === 200) llm.push([new Date(t).toISOString(), SERVICE, id, 10, 10]);
}
for (let i = 0; i < 20; i++) rows.push([new Date(start + i * 30000).toISOString(), OTHER, 'other', `o-${i}`, 'elsewhere', 200, 200, 100, '', 70]);
const table = (names, kinds, r) => ({ columns: names.map((name, i) => ({ name, type: kinds[i] })), rows: r });
writeFileSync(new URL('./demo-recording.json', import.meta.url), JSON.stringify({
  gateway: table(columns, types, rows),
  llm: table(['TimeGenerated', '_ResourceId', 'CorrelationId', 'PromptTokens', 'CompletionTokens'], ['datetime', 'string', 'string', 'int', 'int'], llm),
}) + '\n');
