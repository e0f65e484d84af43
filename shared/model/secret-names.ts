/** APIM named-value names; a workspace `secret:` is one of these. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9._-]{1,256}$/;

/** `aoai-eastus.key` → `BREAKERBOARD_SECRET_AOAI_EASTUS_KEY` (DESIGN §1). */
export function secretEnvName(name: string): string {
  return `BREAKERBOARD_SECRET_${name.toUpperCase().replace(/[-.]/g, '_')}`;
}
