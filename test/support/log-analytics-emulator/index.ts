import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { summarize, type RecordedTable } from './summarize';

export { loadRecordedTables, type RecordedTable } from './summarize';

/*
 * A local stand-in for the Log Analytics query API (POST /v1/workspaces/{id}/query, body { query, timespan }) that
 * answers the documented response shape — `{ tables: [ { name: "PrimaryResult", columns: [{ name, type }], rows } ] }`
 * — computed from recorded ApiManagementGatewayLogs / ApiManagementGatewayLlmLog rows. It understands the queries
 * Breakerboard sends (named by their `// breakerboard:<kind>` comment), not KQL in general; anything else is a
 * 400 in the OneAPI error shape, like a query the service cannot parse.
 */

export interface LogAnalyticsEmulatorOptions {
  /** Workspace GUID → its recorded tables. */
  workspaces: Record<string, { gateway: RecordedTable; llm?: RecordedTable }>;
  /** Only this bearer token is accepted when set; otherwise any. */
  token?: string;
  /** Moves every recorded time so the newest row is at this instant (ms): a recording replayed as "recent". */
  newestAt?: number;
}

export interface LogAnalyticsEmulator {
  /** The query endpoint to pass as `--logs-endpoint` (ends in /v1). */
  url: string;
  requests: { workspace: string; query: string; timespan: string }[];
  /** Every request received (failed ones too), with the `Prefer` header the SDK sends for a server timeout. */
  received: { method: string; path: string; prefer: string | string[] | undefined }[];
  /** The next `times` requests get `status` in the OneAPI error shape with this message (`Retry-After: 0` on a 503). */
  failNext(times: number, status: number, message: string): void;
  close(): Promise<void>;
}

const oneApiError = (status: number, code: string, message: string) => ({ status, body: { error: { code, message, innererror: { code, message } } } });

/** `start/end` or `start/duration` as the SDK sends it. */
function parseTimespan(ts: string): { from: number; to: number } | undefined {
  const [a, b] = ts.split('/');
  const from = Date.parse(a ?? '');
  const to = Date.parse(b ?? '');
  return Number.isFinite(from) && Number.isFinite(to) ? { from, to } : undefined;
}

export async function startLogAnalyticsEmulator(opts: LogAnalyticsEmulatorOptions): Promise<LogAnalyticsEmulator> {
  const requests: LogAnalyticsEmulator['requests'] = [];
  const received: LogAnalyticsEmulator['received'] = [];
  const failing = { times: 0, status: 503, message: '' };
  const answer = (res: ServerResponse, r: { status: number; body: unknown }) => {
    res.writeHead(r.status, { 'content-type': 'application/json; charset=utf-8', ...(r.status === 503 ? { 'retry-after': '0' } : {}) });
    res.end(JSON.stringify(r.body));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    received.push({ method: req.method ?? '', path: new URL(req.url ?? '/', 'http://x').pathname, prefer: req.headers.prefer });
    if (failing.times > 0) {
      failing.times--;
      return answer(res, oneApiError(failing.status, failing.status === 403 ? 'InsufficientAccessError' : 'ServiceUnavailableError', failing.message));
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token || (opts.token !== undefined && token !== opts.token)) return answer(res, oneApiError(401, 'AuthorizationRequiredError', 'Valid authentication was not provided'));
    const m = /^\/v1\/workspaces\/([^/]+)\/query$/.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (req.method !== 'POST' || !m) return answer(res, oneApiError(404, 'PathNotFoundError', `The requested path does not exist: ${req.method} ${req.url}`));
    const ws = opts.workspaces[decodeURIComponent(m[1]!)];
    if (!ws) return answer(res, oneApiError(404, 'WorkspaceNotFoundError', `Workspace ${m[1]} not found`));
    let body: { query?: string; timespan?: string };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      return answer(res, oneApiError(400, 'BadArgumentError', 'The request body is not JSON'));
    }
    requests.push({ workspace: m[1]!, query: body.query ?? '', timespan: body.timespan ?? '' });
    const span = parseTimespan(body.timespan ?? '');
    if (!body.query || !span) return answer(res, oneApiError(400, 'BadArgumentError', 'The request had some invalid properties: query and timespan (start/end) are required'));
    const table = summarize(body.query, span, ws, opts.newestAt);
    if (!table) return answer(res, oneApiError(400, 'BadArgumentError', 'The emulator does not understand this query'));
    answer(res, { status: 200, body: { tables: [{ name: 'PrimaryResult', ...table }] } });
  };
  const server = createServer((req, res) => void handle(req, res).catch((e: Error) => answer(res, oneApiError(500, 'InternalServerError', e.message))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  return {
    url,
    requests,
    received,
    failNext: (times, status, message) => Object.assign(failing, { times, status, message }),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
