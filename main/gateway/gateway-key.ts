import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * DESIGN §3: on a non-loopback host the client must present the gateway key as `api-key` or a bearer token,
 * checked before those headers are stripped (otherwise the gateway relays anyone with the user's backend keys).
 */
export function keyChecker(key: string): (req: IncomingMessage) => boolean {
  const want = createHash('sha256').update(key).digest();
  const same = (v: string) => timingSafeEqual(createHash('sha256').update(v).digest(), want);
  return (req) => {
    const apiKey = req.headers['api-key'];
    if (typeof apiKey === 'string' && same(apiKey)) return true;
    const auth = req.headers.authorization;
    return typeof auth === 'string' && /^bearer /i.test(auth) && same(auth.slice(7).trim());
  };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
