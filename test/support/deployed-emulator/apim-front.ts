import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

/*
 * The local gateway playing a deployed APIM gateway: it checks `Ocp-Apim-Subscription-Key` with APIM's own 401
 * answers, forwards to the local gateway, hides the local-only `x-breakerboard-*` headers (APIM has none), and —
 * when the API opted in (`servedByHeader`) — adds that header with the backend id, as the exported <outbound>
 * policy does. `x-ms-region` comes through from the simulated backends, as Azure OpenAI sends it through APIM.
 */

export const APIM_MISSING_KEY = 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.';
export const APIM_INVALID_KEY = 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.';

export interface ApimFrontOptions {
  gatewayUrl: string;
  keys: string[];
  servedByHeader?: string;
}

export interface ApimFront {
  url: string;
  /** Requests refused for their key. */
  refused: number;
  close(): Promise<void>;
}

export async function startApimFront(o: ApimFrontOptions): Promise<ApimFront> {
  const state = { refused: 0 };
  const deny = (res: ServerResponse, message: string) => {
    state.refused++;
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'AzureApiManagementKey realm="https://my-apim.azure-api.net/openai",name="Ocp-Apim-Subscription-Key",type="header"' });
    res.end(JSON.stringify({ statusCode: 401, message }));
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const key = req.headers['ocp-apim-subscription-key'];
    if (key === undefined) return deny(res, APIM_MISSING_KEY);
    if (typeof key !== 'string' || !o.keys.includes(key)) return deny(res, APIM_INVALID_KEY);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = { ...req.headers };
    delete headers['ocp-apim-subscription-key'];
    delete headers.host;
    delete headers.connection;
    const up = await request(`${o.gatewayUrl}${req.url}`, { method: (req.method ?? 'POST') as 'POST', headers: headers as Record<string, string>, body: chunks.length ? Buffer.concat(chunks) : undefined });
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(up.headers)) {
      if (v === undefined || k.startsWith('x-breakerboard-') || k === 'transfer-encoding' || k === 'connection' || k === 'keep-alive') continue;
      out[k] = v;
    }
    const backend = up.headers['x-breakerboard-backend'];
    if (o.servedByHeader && typeof backend === 'string' && backend !== '') out[o.servedByHeader] = backend;
    res.writeHead(up.statusCode, out);
    for await (const c of up.body) res.write(c);
    res.end();
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get refused() {
      return state.refused;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
