export { keySource, labelName, subscriptionFingerprint, TokenPolicies, type ApiTokenPolicy } from './policies';
export { LlmTokenSeries, type LlmTokenSample } from './series';
export { admitTokens, TokenTicket, type TokenExchange } from './ticket';
