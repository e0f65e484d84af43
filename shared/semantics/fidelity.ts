/*
 * The rows of `docs/apim-fidelity.md` this code decides (routing, circuit breaker, retry, streaming), by id, so the
 * UI's explainers and the drill report can name the row behind what they show. The page is the source of the
 * words; `test/parity/fidelity-table.test.ts` checks that both list the same ids and that each has a parity test.
 */

export const FIDELITY_DOC = 'docs/apim-fidelity.md';

export const FIDELITY_ROWS = {
  'F-ROUTE-1': 'priority groups: lower number first',
  'F-ROUTE-2': 'weights inside a group: smooth weighted round-robin',
  'F-ROUTE-3': 'no priority = group 0; weight 0 = standby',
  'F-ROUTE-4': 'every member open: 503 without calling a backend',
  'F-ROUTE-5': "pool failureResponse replaces the 503",
  'F-ROUTE-6': 'pool sessionAffinity: a cookie keeps a session on one member',
  'F-ROUTE-7': 'carbon: a member over its preferredCarbonEmission serves only when no other member can',
  'F-ROUTE-8': "a region's carbon emission locally: gateway.carbonEmission, drill carbon steps, /_breakerboard/carbon",
  'F-ROUTE-9': 'carbon choices: no region or no known emission counts as within; session affinity comes first',
  'F-CB-1': 'count: trips at N failures inside the sliding interval',
  'F-CB-2': 'percentage: trips at P % failing, once a failure is inside',
  'F-CB-3': 'open for tripDuration, then fully closed (no half-open)',
  'F-CB-4': 'acceptRetryAfter: open as long as Retry-After says',
  'F-CB-5': 'the window empties at a trip',
  'F-CB-6': 'no response at all counts as a failure',
  'F-CB-7': "a breaker rule's failureResponse while a single backend is open",
  'F-CB-8': 'a failure while open extends openUntil',
  'F-CB-9': 'the tripping request gets its own answer unless retry sends it on',
  'F-RETRY-1': 'retry: immediately, while the status is listed and tries remain',
  'F-RETRY-2': 'the request body is buffered for the replay, up to a limit',
  'F-RETRY-3': "no response counts as APIM's 500: only a list naming 500 re-sends it",
  'F-RETRY-4': "a retry that finds every member open gets the pool's 503",
  'F-RETRY-5': 'every try goes back to the pool (set-backend-service inside retry)',
  'F-RETRY-6': 'forward-request timeout: 300 s unless the API sets one',
  'F-RETRY-7': 'retries used up: the last answer passes through',
  'F-RETRY-8': 'no response, no retry left: 502 / 504, exported as on-error so APIM answers the same',
  'F-STREAM-1': 'responses held up to 8 KB unless the API streams',
  'F-STREAM-2': 'retry decided on the status line; a body cut later is not retried',
  'F-OPS-1': 'declared operations: anything else is 404 OperationNotFound',
} as const;

export type FidelityRowId = keyof typeof FIDELITY_ROWS;

/** `docs/apim-fidelity.md#f-cb-5`: the row's anchor on the page. */
export const fidelityHref = (id: FidelityRowId): string => `${FIDELITY_DOC}#${id.toLowerCase()}`;

/**
 * The row that decided a gateway event, for the drill report and the monitor: a trip by Retry-After (F-CB-4) or by
 * the rule (count or percentage is not known from the event; F-CB-1 names the window rule), an extension (F-CB-8),
 * a reset at openUntil (F-CB-3), a failover (F-RETRY-1).
 */
export function fidelityRowOfEvent(e: { type: string; reason?: string | null; extended?: boolean }): FidelityRowId | undefined {
  if (e.type === 'trip') return e.extended ? 'F-CB-8' : /Retry-After/.test(e.reason ?? '') ? 'F-CB-4' : 'F-CB-1';
  if (e.type === 'reset') return e.reason === 'expired' ? 'F-CB-3' : undefined;
  if (e.type === 'failover') return 'F-RETRY-1';
  return undefined;
}
