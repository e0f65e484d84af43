import type { IncomingMessage } from 'node:http';

export type Operation = 'chat' | 'completions' | 'embeddings' | 'responses';

export interface Route {
  operation: Operation;
  /** The Azure deployment from the path; undefined on /v1 paths (the body's `model` names it). */
  deployment?: string;
  apiVersion: string;
}

// The paths the openai SDK (6.x) calls: `AzureOpenAI` puts completions, chat and embeddings under
// `/openai/deployments/{d}/…` and the Responses API at `/openai/responses`; `OpenAI` with an Azure v1 base URL
// (`…/openai/v1`) or OpenAI's own (`…/v1`) calls `/v1/{operation}` and names the deployment in the body's `model`.
const AZURE = /\/deployments\/([^/]+)\/(chat\/completions|completions|embeddings)$/;
const V1 = /(?:^|\/)v1\/(chat\/completions|completions|embeddings|responses)$/;
const AZURE_RESPONSES = /(?:^|\/)responses$/;
const DEFAULT_API_VERSION = '2024-10-21';

const OPERATIONS: Record<string, Operation> = {
  'chat/completions': 'chat',
  completions: 'completions',
  embeddings: 'embeddings',
  responses: 'responses',
};

/**
 * The gateway forwards `/openai/deployments/d/...` to `<backend url>/deployments/d/...`, so the backend's own path
 * prefix is whatever its url had: any prefix ending in `/deployments/{d}/...` is served, as are `/v1/...` and
 * `/responses` paths.
 */
export function matchRoute(rawUrl: string): Route | null {
  const url = new URL(rawUrl, 'http://simulator');
  const path = url.pathname.replace(/\/+$/, '');
  const apiVersion = url.searchParams.get('api-version') ?? DEFAULT_API_VERSION;
  const azure = AZURE.exec(path);
  if (azure) return { operation: OPERATIONS[azure[2]!]!, deployment: decodeURIComponent(azure[1]!), apiVersion };
  const v1 = V1.exec(path);
  if (v1) return { operation: OPERATIONS[v1[1]!]!, apiVersion };
  if (AZURE_RESPONSES.test(path)) return { operation: 'responses', apiVersion };
  return null;
}

/** The operation's name in Azure OpenAI's throttling message ("Requests to the ChatCompletions_Create Operation …"). */
export const OPERATION_NAMES: Record<Operation, string> = {
  chat: 'ChatCompletions_Create',
  completions: 'Completions_Create',
  embeddings: 'Embeddings_Create',
  responses: 'Responses_Create',
};

export const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Reads a JSON body up to a limit; resolves to the value or a message for a 400. */
export async function readJsonBody(req: IncomingMessage): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; status: number; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, message: 'The request body is too large.' };
    chunks.push(chunk);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return { ok: false, status: 400, message: 'We could not parse the JSON body of your request.' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, status: 400, message: 'The request body must be a JSON object.' };
  return { ok: true, value: value as Record<string, unknown> };
}
