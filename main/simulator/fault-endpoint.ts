import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatPath } from '../../shared/model/paths';
import { faultSpecSchema, type SimulationControl } from '../../shared/simulation/faults';

/*
 * `POST /_breakerboard/simulation/<id>/fault` with `{ "type": …, … }` and `DELETE` on the same path (DESIGN §3),
 * plus `GET /_breakerboard/simulation` listing every backend's fault. The gateway serves these by calling its
 * SimulationControl; the standalone `simulate` command serves them with this handler.
 */
export const FAULT_PATH = /^\/_breakerboard\/simulation\/([^/]+)\/fault\/?$/;
const LIST_PATH = /^\/_breakerboard\/simulation\/?$/;

export interface FaultAnswer {
  status: number;
  body: unknown;
}

/** The pure part: method, backend id and parsed body → status and JSON body. */
export function faultAnswer(control: SimulationControl, method: string, id: string, body: unknown): FaultAnswer {
  const known = Object.keys(control.faults());
  if (!known.includes(id)) return { status: 404, body: { error: { code: 'UnknownBackend', message: `no simulated backend "${id}" (simulated: ${known.join(', ') || 'none'})` } } };
  if (method === 'DELETE') {
    control.clearFault(id);
    return { status: 200, body: { backend: id, fault: null } };
  }
  if (method !== 'POST') return { status: 405, body: { error: { code: 'MethodNotAllowed', message: 'use POST to set a fault, DELETE to clear it' } } };
  const parsed = faultSpecSchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const path = first.code === 'unrecognized_keys' ? formatPath([...first.path, first.keys[0] ?? '']) : formatPath(first.path);
    return { status: 400, body: { error: { code: 'InvalidFault', message: `${path}: ${first.code === 'unrecognized_keys' ? 'unknown field' : first.message}` } } };
  }
  control.setFault(id, parsed.data);
  return { status: 200, body: { backend: id, fault: parsed.data } };
}

/** An HTTP route for a node:http server; returns false when the path is not a simulation path. */
export function faultRoute(control: SimulationControl): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (LIST_PATH.test(path) && req.method === 'GET') {
      reply(res, { status: 200, body: { faults: control.faults() } });
      return true;
    }
    const m = FAULT_PATH.exec(path);
    if (!m) return false;
    const id = decodeURIComponent(m[1]!);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= 64 * 1024) chunks.push(c);
    });
    req.on('end', () => {
      let body: unknown = {};
      const text = Buffer.concat(chunks).toString('utf8').trim();
      if (req.method === 'POST') {
        try {
          body = text === '' ? {} : JSON.parse(text);
        } catch {
          return reply(res, { status: 400, body: { error: { code: 'InvalidFault', message: 'the body is not JSON' } } });
        }
      }
      reply(res, faultAnswer(control, req.method ?? 'GET', id, body));
    });
    return true;
  };
}

function reply(res: ServerResponse, a: FaultAnswer): void {
  const text = JSON.stringify(a.body);
  res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}
