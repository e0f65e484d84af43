import { APIM_EXAMPLES } from './apim';
import { DISCOVERY_EXAMPLES } from './discovery';
import { DEPLOYED_EXAMPLES } from './deployed';
import type { ServiceName } from './index';

/*
 * One valid and one invalid payload per method. Tests use them to prove every method is wired in each
 * transport and that bad payloads are refused; a contract test fails when a method has no example here.
 */
export const CONTRACT_EXAMPLES: Record<ServiceName, Record<string, { valid: unknown; invalid?: unknown }>> = {
  workspace: {
    current: { valid: undefined, invalid: { extra: 1 } },
    open: { valid: { path: '/tmp/ws.yaml' }, invalid: { path: 42 } },
    newFromDemo: { valid: undefined, invalid: 'demo' },
    update: { valid: { workspace: { version: 1, backends: {} } }, invalid: { workspace: 'not a map' } },
    save: { valid: undefined, invalid: { path: 1 } },
    saveAs: { valid: { path: '/tmp/ws.yaml', overwrite: true }, invalid: { path: '' } },
    validate: { valid: { workspace: { version: 1 } }, invalid: { workspace: [] } },
  },
  secrets: {
    status: { valid: { names: ['aoai-eastus-key'] }, invalid: { names: ['bad name!'] } },
    set: { valid: { name: 'aoai-eastus-key', value: 's3cret' }, invalid: { name: 'aoai-eastus-key', value: '' } },
    remove: { valid: { name: 'aoai-eastus-key' }, invalid: {} },
  },
  app: {
    info: { valid: undefined, invalid: { verbose: true } },
  },
  gateway: {
    start: { valid: { simulate: true }, invalid: { simulate: 'yes' } },
    stop: { valid: undefined, invalid: { force: true } },
    status: { valid: undefined, invalid: [] },
    resetBreaker: { valid: { backend: 'aoai-eastus' }, invalid: { backend: '../etc' } },
    setCarbonEmission: { valid: { region: 'westeurope', emission: 'High' }, invalid: { region: 'westeurope', emission: 'Smoky' } },
    history: { valid: { seconds: 60 }, invalid: { seconds: 86_400 } },
  },
  simulator: {
    setFault: { valid: { backend: 'aoai-eastus', fault: { type: 'throttle', retryAfter: 30 } }, invalid: { backend: 'aoai-eastus', fault: { type: 'meteor' } } },
    clearFault: { valid: { backend: 'aoai-eastus' }, invalid: { backend: '' } },
    faults: { valid: undefined, invalid: [] },
  },
  load: {
    start: { valid: { rps: 5, durationSeconds: 2, stream: false }, invalid: { rps: 100_000, durationSeconds: 2, stream: false } },
    runDrill: { valid: { text: 'version: 1', speed: 10 }, invalid: { path: 'a.yaml', text: 'version: 1' } },
    cancel: { valid: undefined, invalid: { force: true } },
    current: { valid: undefined, invalid: [] },
  },
  apim: APIM_EXAMPLES,
  discovery: DISCOVERY_EXAMPLES,
  deployed: DEPLOYED_EXAMPLES,
};
