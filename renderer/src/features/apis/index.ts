export { ApisSection } from './apis-section';
export { parseCodes, RetryFields } from './retry-fields';
