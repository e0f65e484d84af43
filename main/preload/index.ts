import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, contract, eventMethodName, ipcChannel, type Bridge } from '../../shared/contract';

/*
 * The sandboxed preload: builds, from the shared contract, one frozen object with a function per method and an
 * `onX` per event, and exposes only that (no ipcRenderer, no generic invoke; STYLE rules 3 and 5). Methods answer
 * the error envelope; the renderer's client turns it into typed results and ContractErrors.
 */
const bridge: Record<string, Readonly<Record<string, unknown>>> = {};
for (const [service, spec] of Object.entries(contract)) {
  const facade: Record<string, unknown> = {};
  for (const method of Object.keys(spec.methods)) {
    const channel = ipcChannel(service, method);
    facade[method] = (payload?: unknown) => ipcRenderer.invoke(channel, payload);
  }
  for (const event of Object.keys(spec.events)) {
    const channel = ipcChannel(service, event);
    facade[eventMethodName(event)] = (listener: (payload: unknown) => void) => {
      const handler = (_e: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, handler);
      return () => void ipcRenderer.removeListener(channel, handler);
    };
  }
  bridge[service] = Object.freeze(facade);
}

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, Object.freeze(bridge) as unknown as Bridge);
