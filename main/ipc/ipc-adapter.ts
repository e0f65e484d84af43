import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { contractMethods, ipcChannel, IPC_PREFIX, type Api, type Unsubscribe } from '../../shared/contract';
import { dispatch, subscribeAll } from '../../shared/contract/dispatch';

/*
 * The shared contract over Electron IPC (like VS Code's validatedIpcMain): one handler per contract method, each
 * refusing a sender that is not the top frame of our own renderer page before the payload is even parsed; the
 * payload is then validated against the contract by `dispatch`. Answers are envelopes, never thrown errors.
 */
export type SenderCheck = (event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>) => boolean;

/** True when the frame shows exactly our renderer file (same scheme, host and path), as the top frame. */
export function isOwnRendererFrame(frame: { url: string; parent: unknown } | null | undefined, rendererUrl: string): boolean {
  if (!frame || frame.parent) return false;
  try {
    const got = new URL(frame.url);
    const want = new URL(rendererUrl);
    return got.protocol === want.protocol && got.host === want.host && got.pathname === want.pathname;
  } catch {
    return false;
  }
}

/** The sender check for our window: its webContents, its top frame, our page. */
export function ownWindowSenderCheck(rendererUrl: string, webContents: () => WebContents | null): SenderCheck {
  return (event) => {
    const wc = webContents();
    return wc !== null && event.sender === wc && isOwnRendererFrame(event.senderFrame, rendererUrl);
  };
}

export function registerIpcHandlers(services: Api, isTrustedSender: SenderCheck): Unsubscribe {
  const channels: string[] = [];
  for (const { service, method } of contractMethods) {
    const channel = ipcChannel(service, method);
    channels.push(channel);
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event)) return { ok: false, error: { code: 'forbidden', message: 'IPC from a frame that is not Breakerboard\'s own page' } };
      return dispatch(services, service, method, payload);
    });
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c));
}

/** Sends every service event to the window, on the event's own channel. */
export function forwardEvents(services: Api, webContents: () => WebContents | null): Unsubscribe {
  return subscribeAll(services, (channel, payload) => {
    const wc = webContents();
    if (wc && !wc.isDestroyed()) wc.send(`${IPC_PREFIX}${channel}`, payload);
  });
}
