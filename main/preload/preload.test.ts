import { describe, expect, it, vi } from 'vitest';
import { contract, contractEvents, contractMethods, eventMethodName, ipcChannel } from '../../shared/contract';

const exposed = new Map<string, unknown>();
const invoke = vi.fn(async (channel: string, payload: unknown) => ({ ok: true, value: { channel, payload } }));
const on = vi.fn();
const removeListener = vi.fn();
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: { invoke, on, removeListener },
}));

await import('./index');
type Facade = Record<string, (arg?: unknown) => unknown>;
const bridge = exposed.get('breakerboard') as Record<string, Facade>;

describe('preload bridge', () => {
  it('exposes one frozen object with exactly the contract: a function per method and per event, no generic invoke', () => {
    expect([...exposed.keys()]).toEqual(['breakerboard']);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual(Object.keys(contract).sort());
    for (const [service, spec] of Object.entries(contract)) {
      expect(Object.isFrozen(bridge[service])).toBe(true);
      const expected = [...Object.keys(spec.methods), ...Object.keys(spec.events).map(eventMethodName)].sort();
      expect(Object.keys(bridge[service]!).sort()).toEqual(expected);
    }
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/invoke|send|ipc/i);
  });

  it('each method invokes its own channel with the payload', async () => {
    for (const { service, method } of contractMethods) {
      await expect(bridge[service]![method]!({ x: 1 })).resolves.toEqual({ ok: true, value: { channel: ipcChannel(service, method), payload: { x: 1 } } });
    }
  });

  it('each event subscribes on its channel and unsubscribes the same handler', () => {
    for (const { service, event } of contractEvents) {
      on.mockClear();
      removeListener.mockClear();
      const off = bridge[service]![eventMethodName(event)]!(() => undefined) as () => void;
      expect(on).toHaveBeenCalledWith(ipcChannel(service, event), expect.any(Function));
      off();
      expect(removeListener).toHaveBeenCalledWith(ipcChannel(service, event), on.mock.calls[0]![1]);
    }
  });
});
