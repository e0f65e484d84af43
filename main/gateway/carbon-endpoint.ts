import type { IncomingMessage, ServerResponse } from 'node:http';
import { regionEmissionSchema, REGION_EMISSIONS } from '../../shared/model/schema';
import { regionKey } from '../../shared/semantics/carbon';
import type { GatewayEngine } from './engine';
import { sendError, sendJson } from './http-util';

/*
 * The run-time side of the carbon rehearsal input (docs/apim-fidelity.md F-ROUTE-7): APIM reads each region's
 * carbon emission from Azure, the local gateway from `gateway.carbonEmission` and from here.
 *   GET    /_breakerboard/carbon                 → { regions: { <region>: { emission, source } } }
 *   PUT    /_breakerboard/carbon/<region>  { "emission": "High" }  → sets it (kept across reloads)
 *   DELETE /_breakerboard/carbon/<region>        → back to the workspace's value (or none)
 */
const LIST_PATH = /^\/_breakerboard\/carbon\/?$/;
const REGION_PATH = /^\/_breakerboard\/carbon\/([^/]+)$/;
const MAX_BODY = 4096;
/** As the workspace's `gateway.carbonEmission` keys: at most 100 characters. */
const MAX_REGION_NAME = 100;
/** Run-time values a gateway keeps (Azure has fewer than 100 regions): a client cannot grow the map without end. */
export const MAX_SET_REGIONS = 500;

/** Why a region name from the path cannot be one (the same rules as the workspace file's keys), else undefined. */
function regionRefusal(region: string): string | undefined {
  if (region.length > MAX_REGION_NAME) return `region: a region name must be at most ${MAX_REGION_NAME} characters`;
  if (regionKey(region) === '') return `region: "${region}" names no Azure region (it has no letters or digits)`;
  return undefined;
}

export function isCarbonPath(path: string): boolean {
  return LIST_PATH.test(path) || REGION_PATH.test(path);
}

export function handleCarbon(engine: GatewayEngine, path: string, method: string, req: IncomingMessage, res: ServerResponse): void {
  if (LIST_PATH.test(path)) {
    if (method !== 'GET') return sendError(res, 404, 'NotFound', `no gateway endpoint ${method} ${path}`);
    return sendJson(res, 200, { regions: engine.router.carbon.view() });
  }
  let region: string;
  try {
    region = decodeURIComponent(REGION_PATH.exec(path)![1]!);
  } catch {
    return sendError(res, 400, 'BadRequest', `the region in ${path} is not valid %-encoding`);
  }
  if (method !== 'PUT' && method !== 'DELETE') return sendError(res, 404, 'NotFound', `use PUT to set a region's carbon emission, DELETE to go back to the workspace's value`);
  const refusal = regionRefusal(region);
  if (refusal) return sendError(res, 400, 'BadRequest', refusal);
  if (method === 'DELETE') return sendJson(res, 200, { region, ...engine.setCarbonEmission(region, null) });
  const chunks: Buffer[] = [];
  let size = 0;
  const onData = (c: Buffer) => {
    size += c.length;
    if (size <= MAX_BODY) return void chunks.push(c);
    // Answered at once, nothing more kept: the rest flows by unread, so the client reads its 413 rather than a reset.
    req.off('data', onData);
    req.off('end', onEnd);
    req.resume();
    sendError(res, 413, 'RequestTooLarge', `body over ${MAX_BODY} bytes`, ['connection', 'close']);
  };
  const onEnd = () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendError(res, 400, 'BadRequest', `the body must be JSON: { "emission": one of ${REGION_EMISSIONS.join(', ')} }`);
    }
    const emission = regionEmissionSchema.safeParse((body as { emission?: unknown } | null)?.emission);
    if (!emission.success) return sendError(res, 400, 'BadRequest', `emission: ${emission.error.issues[0]!.message}`);
    // Counted when the value is set, so requests whose bodies arrive together cannot pass the cap between them.
    const view = engine.router.carbon.view();
    const setCount = Object.values(view).filter((v) => v.source === 'set').length;
    if (view[regionKey(region)]?.source !== 'set' && setCount >= MAX_SET_REGIONS) {
      return sendError(res, 400, 'BadRequest', `region: ${MAX_SET_REGIONS} regions are already set at run time; DELETE one first`);
    }
    sendJson(res, 200, { region, ...engine.setCarbonEmission(region, emission.data) });
  };
  req.on('data', onData);
  req.on('end', onEnd);
}
