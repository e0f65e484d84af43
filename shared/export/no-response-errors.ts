/*
 * The `<on-error>` mapping that makes APIM answer like the local gateway when a backend gave no response
 * (docs/apim-fidelity.md F-RETRY-8). APIM raises an error from `forward-request` and jumps to `on-error`; without a
 * handler the caller gets a 500 (Learn: "Error handling in API Management policies"). Learn's predefined errors name
 * the two cases: Reason `BackendConnectionFailure` (the connection to the backend was not established or was aborted)
 * and Reason `Timeout` with Source `forward-request` (no status line and headers within the configured timeout).
 * Both are mapped only when `forward-request` raised them: a connection lost while the body streams (Source
 * `transfer-response`) comes after the status line reached the client, and errors of other policies keep APIM's own
 * answer (`<base />`). The answer is DESIGN §3's: 502 `BackendUnavailable` / 504 `BackendTimeout`, a JSON body
 * `{ "error": { "code", "message" } }`, words that name no backend, and no Breakerboard header.
 */

export interface NoResponseError {
  /** `context.LastError.Reason` as Learn's predefined errors name it. */
  reason: 'BackendConnectionFailure' | 'Timeout';
  status: 502 | 504;
  phrase: string;
  code: 'BackendUnavailable' | 'BackendTimeout';
  message: string;
}

export const NO_RESPONSE_ERRORS: readonly NoResponseError[] = [
  { reason: 'BackendConnectionFailure', status: 502, phrase: 'Bad Gateway', code: 'BackendUnavailable', message: 'The backend gave no response: the connection failed or was closed.' },
  { reason: 'Timeout', status: 504, phrase: 'Gateway Timeout', code: 'BackendTimeout', message: 'The backend sent no response headers within the timeout.' },
];

/** `@(context.LastError.Source == "forward-request" && context.LastError.Reason == "Timeout")`, unescaped. */
export const noResponseCondition = (e: Pick<NoResponseError, 'reason'>): string =>
  `@(context.LastError.Source == "forward-request" && context.LastError.Reason == "${e.reason}")`;

/** The body, spaced so that no `{{`/`}}` pair can look like a named value to APIM. */
export const noResponseBody = (e: NoResponseError): string => `{ "error": { "code": "${e.code}", "message": "${e.message}" } }`;

/** `502 BackendUnavailable, 504 BackendTimeout`: how plans and notes name the mapping. */
export const NO_RESPONSE_SUMMARY = NO_RESPONSE_ERRORS.map((e) => `${e.status} ${e.code}`).join(', ');

const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const text = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The `<choose>` element, its first line unindented and the rest under `indent`, one `step` per level. */
export function noResponseChoose(indent: string, step = '    '): string {
  const i = (n: number) => indent + step.repeat(n);
  const whens = NO_RESPONSE_ERRORS.flatMap((e) => [
    `${i(1)}<when condition="${attr(noResponseCondition(e))}">`,
    `${i(2)}<return-response>`,
    `${i(3)}<set-status code="${e.status}" reason="${attr(e.phrase)}" />`,
    `${i(3)}<set-header name="Content-Type" exists-action="override">`,
    `${i(4)}<value>application/json</value>`,
    `${i(3)}</set-header>`,
    `${i(3)}<set-body>${text(noResponseBody(e))}</set-body>`,
    `${i(2)}</return-response>`,
    `${i(1)}</when>`,
  ]);
  return ['<choose>', ...whens, `${indent}</choose>`].join('\n');
}
