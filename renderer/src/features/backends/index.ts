export { BackendEditor } from './backend-editor';
export { BackendsSection } from './backends-section';
export { SecretEntry, type SecretCallbacks, type SecretSource } from './secret-entry';
