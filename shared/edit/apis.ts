import type { Api, RetrySettings, Workspace } from '../model/schema';
import { rangeIncludes } from '../model/warnings';
import { ID_PATTERN } from '../model/schema';
import { done, refused, type EditResult } from './result';

/* API wiring edits (DESIGN §1 `apis`): which pool or backend serves a path, and the retry that re-picks from it. */

export const DEFAULT_RETRY_CODES: readonly number[] = [429, 503];

export function addApi(ws: Workspace, id: string, api: Api): EditResult {
  if (!ID_PATTERN.test(id) || id.length > 80) return refused('an api id may contain only letters, digits, ".", "_" and "-" (at most 80), starting with a letter or digit');
  if (ws.apis && id in ws.apis) return refused(`there is already an api "${id}"`);
  return done({ ...ws, apis: { ...ws.apis, [id]: api } });
}

export function removeApi(ws: Workspace, id: string): Workspace {
  if (!ws.apis || !(id in ws.apis)) return ws;
  const { [id]: _removed, ...apis } = ws.apis;
  return { ...ws, apis };
}

function patchApi(ws: Workspace, id: string, patch: (api: Api) => Api): Workspace {
  const api = ws.apis?.[id];
  if (!api) return ws;
  const next = patch(api);
  return next === api ? ws : { ...ws, apis: { ...ws.apis, [id]: next } };
}

export const setApiPath = (ws: Workspace, id: string, path: string) => patchApi(ws, id, (a) => (a.path === path ? a : { ...a, path }));
export const setApiBackend = (ws: Workspace, id: string, backend: string) => patchApi(ws, id, (a) => (a.backend === backend ? a : { ...a, backend }));

/** Sets the retry block; undefined removes it (count 0 exports no `<retry>` either, DESIGN §5). */
export function setApiRetry(ws: Workspace, id: string, retry: RetrySettings | undefined): Workspace {
  return patchApi(ws, id, (a) => {
    if (retry === undefined) {
      if (!a.retry) return a;
      const { retry: _r, ...rest } = a;
      return rest;
    }
    return { ...a, retry };
  });
}

/** Members behind an api's backend id: a pool's, or the single backend itself. */
export function membersBehind(ws: Workspace, backendId: string): string[] {
  const pool = ws.pools?.[backendId];
  return pool ? pool.services.map((m) => m.backend) : [backendId];
}

/**
 * The retry count worth having: pool size − 1 (B11). One more re-pick than that can only land on a member
 * that already failed this request; a single backend gets 0.
 */
export function suggestedRetryCount(ws: Workspace, backendId: string): number {
  return Math.max(0, membersBehind(ws, backendId).length - 1);
}

/**
 * B8: a retry re-picks among members whose breaker is still closed; a member that failed without tripping can be
 * picked again. One note per retry code that would not trip some member's breaker at once, so the editor can say so.
 */
export function retryNotes(ws: Workspace, apiId: string): string[] {
  const api = ws.apis?.[apiId];
  if (!api?.retry || api.retry.count === 0) return [];
  const notes: string[] = [];
  for (const code of api.retry.on ?? DEFAULT_RETRY_CODES) {
    const slow = membersBehind(ws, api.backend).filter((b) => {
      const rule = ws.backends?.[b]?.circuitBreaker?.rules?.[0];
      if (!rule || !rangeIncludes(rule.failureCondition.statusCodeRanges, code)) return true;
      return rule.failureCondition.count === undefined || rule.failureCondition.count > 1;
    });
    if (slow.length > 0) {
      notes.push(`${code}: ${slow.join(', ')} ${slow.length === 1 ? 'is' : 'are'} not taken out by one ${code}, so a retry can pick ${slow.length === 1 ? 'it' : 'them'} again`);
    }
  }
  return notes;
}
