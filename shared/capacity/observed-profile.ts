import type { GatewayStatus } from '../monitor/status';

/*
 * A traffic profile from the local gateway's observed traffic (`/_breakerboard/status`, the rolling window of up
 * to 15 minutes): requests per minute over the part of the window the gateway has been up, and tokens per
 * answered request from the usage the backends reported. Tries count as requests (a retried request is two
 * tries), which is what the backends' budgets saw.
 */
export interface ObservedProfile {
  rpm: number;
  tokensPerRequest: number;
  /** Minutes of traffic the numbers come from. */
  minutes: number;
}

export function profileFromStatus(status: GatewayStatus): ObservedProfile | string {
  const up = (Date.parse(status.at) - Date.parse(status.startedAt)) / 60_000;
  const minutes = Math.min(status.windowSeconds / 60, up);
  let requests = 0;
  let answered = 0;
  let tokens = 0;
  for (const b of Object.values(status.backends)) {
    requests += b.requests;
    for (const [code, n] of Object.entries(b.byStatus)) if (/^2\d\d$/.test(code)) answered += n;
    tokens += b.tokens.prompt + b.tokens.completion;
  }
  if (!(minutes > 0) || requests === 0) return 'the gateway has seen no traffic yet: send some, or give --rpm and --tokens-per-request';
  if (answered === 0 || tokens === 0) return 'the gateway saw no answered requests with token usage: give --tokens-per-request';
  return { rpm: Math.round((requests / minutes) * 100) / 100, tokensPerRequest: Math.max(1, Math.round(tokens / answered)), minutes: Math.round(minutes * 100) / 100 };
}
