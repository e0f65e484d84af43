import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import type { ApimTarget, ArmConnection } from './client';
import { describeArmError } from './errors';

/*
 * Backends as raw JSON through the SDK's own pipeline (sign-in, retries, user agent): the SDK's serializer knows
 * only the 2024-05-01 model and drops every other field on the way in and out, so a read-modify-write through it
 * would strip `credentials.managedIdentity`, `azureRegion`, `sessionAffinity` and whatever comes next.
 */

export interface JsonAnswer {
  status: number;
  etag?: string;
  body?: Record<string, unknown>;
}

export interface JsonRequest {
  method: 'GET' | 'PUT' | 'DELETE';
  apiVersion: string;
  body?: unknown;
  ifMatch?: string;
  /** For messages, e.g. "backend 'x' in service my-apim (resource group rg)". */
  what: string;
}

export const servicePath = (t: ApimTarget) =>
  `/subscriptions/${encodeURIComponent(t.subscription)}/resourceGroups/${encodeURIComponent(t.resourceGroup)}/providers/Microsoft.ApiManagement/service/${encodeURIComponent(t.service)}`;

/** One request; an answer of 400 or more becomes an ApimError in words (a 404 on GET is an answer, not an error). */
export async function armJson(conn: ArmConnection, path: string, req: JsonRequest): Promise<JsonAnswer> {
  const write = req.method !== 'GET';
  const headers = createHttpHeaders({ accept: 'application/json' });
  if (req.body !== undefined) headers.set('content-type', 'application/json; charset=utf-8');
  if (req.ifMatch !== undefined) headers.set('if-match', req.ifMatch);
  const request = createPipelineRequest({
    url: `${conn.endpoint}${path}?api-version=${encodeURIComponent(req.apiVersion)}`,
    method: req.method,
    headers,
    body: req.body !== undefined ? JSON.stringify(req.body) : undefined,
    allowInsecureConnection: conn.insecure,
  });
  let res;
  try {
    res = await conn.sdk.sendRequest(request);
  } catch (e) {
    throw describeArmError(e, req.what, conn.endpoint, write);
  }
  if (res.status === 404 && req.method === 'GET') return { status: 404 };
  if (res.status >= 400) {
    const like = { statusCode: res.status, code: undefined, response: { bodyAsText: res.bodyAsText, headers: { get: (n: string) => res.headers.get(n) } } };
    throw describeArmError(like, req.what, conn.endpoint, write);
  }
  let body: Record<string, unknown> | undefined;
  try {
    body = res.bodyAsText ? (JSON.parse(res.bodyAsText) as Record<string, unknown>) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, etag: res.headers.get('etag') ?? undefined, body };
}
