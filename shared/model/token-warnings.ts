import { compileCounterKey, EVALUATED_FORMS } from '../semantics/token-key';
import type { Issue } from './paths';
import { formatPath } from './paths';
import type { Workspace } from './schema';

/** Token limit and metric warnings (F-TOKEN-5, F-TOKEN-10): valid for APIM, but the local rehearsal differs. */
export function tokenWarnings(ws: Workspace): Issue[] {
  const out: Issue[] = [];
  for (const [id, api] of Object.entries(ws.apis ?? {})) {
    const key = api.tokenLimit?.counterKey;
    if (key && typeof key === 'object' && 'expression' in key && !compileCounterKey(key).evaluated) {
      out.push({
        path: formatPath(['apis', id, 'tokenLimit', 'counterKey', 'expression']),
        message: `the local gateway cannot evaluate this expression (it knows ${EVALUATED_FORMS}): locally every request of this API shares one counter; APIM evaluates it`,
      });
    }
    const custom = api.tokenMetric?.dimensions.filter((d) => typeof d !== 'string').length ?? 0;
    if (custom > 5) {
      out.push({
        path: formatPath(['apis', id, 'tokenMetric', 'dimensions']),
        message: `${custom} custom dimensions: Azure Monitor keeps 10 dimension keys per metric and API Management uses 5 of them for its own, so newer Learn text allows 5 custom dimensions`,
      });
    }
  }
  return out;
}
