import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/contract';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

/** Headers on every answer of the control server: the shared CSP, and no sniffing, framing or referrers. */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
};

/**
 * Serves the built renderer (read-only, GET/HEAD). Paths are normalised and must stay inside the folder; unknown
 * paths without an extension get index.html (the app has one page).
 */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse, headOnly: boolean): Promise<void> {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return plain(res, 400, 'bad path');
  }
  if (rel.includes('\u0000')) return plain(res, 400, 'bad path');
  if (rel === '/' || extname(rel) === '') rel = '/index.html';
  const file = normalize(join(root, rel));
  if (!file.startsWith(root.endsWith(sep) ? root : root + sep)) return plain(res, 404, 'not found');
  try {
    const info = await stat(file);
    if (!info.isFile()) return plain(res, 404, 'not found');
    const body = await readFile(file);
    const isIndex = file.endsWith(`${sep}index.html`);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': String(body.length),
      // Hashed asset names never change; the page itself must be re-read after a rebuild.
      'cache-control': isIndex ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    res.end(headOnly ? undefined : body);
  } catch {
    if (rel === '/index.html') return plain(res, 503, 'the dashboard is not built: run `npm run build` first');
    plain(res, 404, 'not found');
  }
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}
