export { cognitiveClient } from './cognitive-client';
export { accountFacts, deploymentFacts, isProvisioned, OPENAI_KINDS, openAiEndpoint } from './deployment-facts';
export { discoverAccounts, type DiscoverOptions } from './discover';
