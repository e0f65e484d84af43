import type { Api, TokenLimit, TokenMetric, Workspace } from '../../../../shared/model/schema';

/* Edits of an API's token limit and token metric; undefined removes the policy. */

function patch(ws: Workspace, apiId: string, change: (api: Api) => Api): Workspace {
  const api = ws.apis?.[apiId];
  return api ? { ...ws, apis: { ...ws.apis, [apiId]: change(api) } } : ws;
}

export const setTokenLimit = (ws: Workspace, apiId: string, t: TokenLimit | undefined) =>
  patch(ws, apiId, ({ tokenLimit: _old, ...rest }) => (t ? { ...rest, tokenLimit: t } : rest));
export const setTokenMetric = (ws: Workspace, apiId: string, m: TokenMetric | undefined) =>
  patch(ws, apiId, ({ tokenMetric: _old, ...rest }) => (m ? { ...rest, tokenMetric: m } : rest));

export const DEFAULT_TOKEN_LIMIT: TokenLimit = { tokensPerMinute: 10_000, counterKey: 'subscription', estimatePromptTokens: false, flavour: 'azure-openai' };
export const DEFAULT_TOKEN_METRIC: TokenMetric = { namespace: 'openai', dimensions: ['API ID', 'Subscription ID'], flavour: 'azure-openai' };
