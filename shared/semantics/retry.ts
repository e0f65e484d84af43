import type { Outcome } from './breaker';

/**
 * APIM-SEMANTICS B8: whether to try again after `attempts` tries (the first included). Retries happen when the
 * status is in `on`, or there was no response, while tries remain and the request body could be kept for a replay.
 * Decided on the status line, before the client sees a byte, so a streamed answer fails over too.
 */
export function shouldRetry(outcome: Outcome, attempts: number, retryCount: number, retryOn: ReadonlySet<number>, bodyReplayable: boolean): boolean {
  if (!bodyReplayable || attempts > retryCount) return false;
  return 'failure' in outcome || retryOn.has(outcome.status);
}
