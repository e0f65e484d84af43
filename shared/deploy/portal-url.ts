/** Azure portal hosts (public, US Government, China) the desktop app may hand to the system browser. */
const PORTAL_HOSTS = new Set(['portal.azure.com', 'portal.azure.us', 'portal.azure.cn']);

/** Whether a link is an https Azure portal page: the only kind of link the app opens outside itself. */
export function isAzurePortalUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && PORTAL_HOSTS.has(u.hostname) && u.username === '' && u.password === '' && u.port === '';
  } catch {
    return false;
  }
}
