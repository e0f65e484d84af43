export { explainTokenLimit, explainTokenMetric, ordinal } from './explain-token-limit';
export { setTokenLimit, setTokenMetric } from './token-edits';
export { TokenLimitFields } from './token-limit-fields';
export { TokenMetricFields } from './token-metric-fields';
export { TokenDimensionChart } from './token-chart';
