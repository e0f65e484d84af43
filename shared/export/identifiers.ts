/** Words Bicep does not accept as a parameter or symbol name; a secret named `true` must not become one. */
const RESERVED = new Set(['true', 'false', 'null', 'param', 'var', 'resource', 'module', 'output', 'existing', 'metadata', 'import', 'type', 'func', 'if', 'for', 'in', 'as', 'with', 'targetScope', 'az', 'sys']);

/** `aoai-eastus` + prefix `backend` → `backendAoaiEastus`; unique within `taken`. */
export function symbolicName(prefix: string, id: string, taken: Set<string>): string {
  const words = id.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const body = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
  const base = prefix ? `${prefix}${body}` : body.length > 0 ? body[0]!.toLowerCase() + body.slice(1) : 'value';
  const start = !/^[A-Za-z_]/.test(base) ? `_${base}` : RESERVED.has(base) ? `${base}Value` : base;
  let name = start;
  for (let i = 2; taken.has(name); i++) name = `${start}${i}`;
  taken.add(name);
  return name;
}
