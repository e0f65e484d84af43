import { BRIDGE_GLOBAL, type Api, type Bridge } from '../../shared/contract';
import { createApiClient } from '../../shared/contract/client';
import { createBridgeTransport } from './transport/bridge-transport';
import { createHttpTransport, type HttpTransport } from './transport/http-transport';

/*
 * One api object, chosen once at boot: the desktop preload's bridge when it is there, otherwise the HTTP client
 * of serve mode with the token from the URL fragment. Everything above this file sees only `Api`.
 */
export type ApiChoice =
  | { ok: true; platform: 'electron'; api: Api }
  | { ok: true; platform: 'serve'; api: Api; transport: HttpTransport }
  | { ok: false; message: string };

const TOKEN_KEY = 'breakerboard.token';

/**
 * The token from `#token=…`, kept in sessionStorage so a reload still has it, then removed from the address bar
 * (it should not end up in screenshots, bookmarks or a shared URL).
 */
export function takeToken(loc: Pick<Location, 'hash' | 'pathname' | 'search'>, storage: Pick<Storage, 'getItem' | 'setItem'>, history?: Pick<History, 'replaceState'>): string | null {
  const fromHash = new URLSearchParams(loc.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    storage.setItem(TOKEN_KEY, fromHash);
    history?.replaceState(null, '', `${loc.pathname}${loc.search}`);
    return fromHash;
  }
  return storage.getItem(TOKEN_KEY);
}

export function chooseApi(win: Window): ApiChoice {
  const bridge = (win as unknown as Record<string, Bridge | undefined>)[BRIDGE_GLOBAL];
  if (bridge) return { ok: true, platform: 'electron', api: createApiClient(createBridgeTransport(bridge)) };
  const token = takeToken(win.location, win.sessionStorage, win.history);
  if (!token) {
    return { ok: false, message: 'This page needs its access token. Open the full URL that `breakerboard serve` printed (it ends with #token=…).' };
  }
  const transport = createHttpTransport({ baseUrl: win.location.origin, token });
  return { ok: true, platform: 'serve', api: createApiClient(transport), transport };
}
