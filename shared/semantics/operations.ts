import type { Operation } from '../model/schema';

/*
 * An API's declared operations (fidelity row F-OPS-1): APIM matches each request to one operation of the API and
 * answers 404 with reason OperationNotFound when none matches. Templates are compiled once per route table.
 */

export interface CompiledOperation {
  /** Upper-case method, or `*` for any. */
  method: string;
  pattern: RegExp;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * `/deployments/{deployment-id}/chat/completions` → a pattern on the request path after the API prefix. A `{name}`
 * parameter takes one path segment; a trailing `*` (APIM's wildcard operation) takes the rest. A query part in the
 * template is ignored: APIM matches operations on the path and method.
 */
export function compileOperation(op: Operation): CompiledOperation {
  const path = op.urlTemplate.split('?')[0]!;
  const parts = path.split(/(\{[^}]*\})/).map((part) => {
    if (/^\{[^}]*\}$/.test(part)) return '[^/?]+';
    return part.split('*').map(escape).join('.*');
  });
  return { method: op.method, pattern: new RegExp(`^${parts.join('')}/?$`) };
}

/** Whether `rest` (the request target after the API prefix, query included) matches a declared operation. */
export function matchesOperation(ops: readonly CompiledOperation[], method: string, rest: string): boolean {
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  for (const op of ops) if ((op.method === '*' || op.method === method) && op.pattern.test(path || '/')) return true;
  return false;
}
