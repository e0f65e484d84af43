import type { Outcome } from './breaker';

/** The status APIM reports for a `forward-request` that got no response (fidelity row F-RETRY-3). */
export const NO_RESPONSE_STATUS = 500;

/**
 * Whether to try again after `attempts` tries (the first included), as APIM's `<retry>` does (F-RETRY-1): while
 * tries remain, the condition's status list names the answer and the request body could be kept for a replay. A try
 * that got no response (refused, reset, timed out) counts as APIM's 500, so only a list naming 500 re-sends it
 * (F-RETRY-3); with `on: [429]` the error reaches the client. Decided on the status line, before the client sees a
 * byte, so a streamed answer fails over too (F-STREAM-2).
 */
export function shouldRetry(outcome: Outcome, attempts: number, retryCount: number, retryOn: ReadonlySet<number>, bodyReplayable: boolean): boolean {
  if (!bodyReplayable || attempts > retryCount) return false;
  return retryOn.has('failure' in outcome ? NO_RESPONSE_STATUS : outcome.status);
}
