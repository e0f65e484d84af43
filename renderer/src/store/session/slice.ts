import { ContractError, type AppCommand, type AppInfo } from '../../../../shared/contract';
import type { SliceContext } from '../types';

export type Phase = 'booting' | 'ready' | 'failed';
export type Connection = 'online' | 'reconnecting' | 'unauthorized';

export interface Notice {
  id: number;
  intent: 'success' | 'error' | 'warning' | 'info';
  title: string;
  message: string;
  /** A refusal because of validation errors: it goes away by itself once the workspace is valid again. */
  untilValid?: boolean;
}

/** A question the renderer asks itself where no native dialog exists (serve mode): which file? overwrite? */
export interface PathPrompt {
  mode: 'save' | 'open';
  /** Set when the last try named a file that exists: the dialog then offers to overwrite. */
  existing?: string;
}

export interface SessionSlice {
  phase: Phase;
  bootError: string | null;
  info: AppInfo | null;
  connection: Connection;
  notices: Notice[];
  pathPrompt: PathPrompt | null;
  /** Reads what the main side has and subscribes to its events; data-app-state="ready" follows. */
  boot(): Promise<void>;
  setConnection(connection: Connection): void;
  notify(notice: Omit<Notice, 'id'>): void;
  dismissNotice(id: number): void;
  openPathPrompt(prompt: PathPrompt): void;
  closePathPrompt(): void;
  /** Runs a menu or keyboard command. */
  runCommand(command: AppCommand): void;
}

export const sessionInitialState = {
  phase: 'booting' as Phase,
  bootError: null,
  info: null,
  connection: 'online' as Connection,
  notices: [] as Notice[],
  pathPrompt: null,
};

const MAX_NOTICES = 4;

export function createSessionSlice(ctx: SliceContext): SessionSlice {
  const { set, get, api } = ctx;
  let nextId = 1;
  let booted = false;
  return {
    ...sessionInitialState,

    async boot() {
      if (booted) return;
      booted = true;
      try {
        // Subscribe first, so no change between the read and the subscription is lost.
        api.workspace.onChanged((state) => get().applyWorkspaceState(state));
        api.app.onCommand(({ command }) => get().runCommand(command));
        const [info, state] = await Promise.all([api.app.info(), api.workspace.current(), get().followGateway()]);
        get().applyWorkspaceState(state);
        set({ info, phase: 'ready' });
      } catch (e) {
        booted = false;
        const message = e instanceof ContractError && e.code === 'unauthorized' ? 'The access token was refused: open the URL that `breakerboard serve` printed.' : (e as Error).message;
        set({ phase: 'failed', bootError: message });
      }
    },

    setConnection: (connection) => set({ connection }),

    notify(notice) {
      const id = nextId++;
      // The same message again replaces the one shown: it is said once, however often it happens.
      const same = (n: Notice) => n.intent === notice.intent && n.title === notice.title && n.message === notice.message;
      set((s) => ({ notices: [...s.notices.filter((n) => !same(n)), { ...notice, id }].slice(-MAX_NOTICES) }));
    },
    dismissNotice: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),

    openPathPrompt: (pathPrompt) => set({ pathPrompt }),
    closePathPrompt: () => set({ pathPrompt: null }),

    runCommand(command) {
      const s = get();
      if ((command === 'undo' || command === 'redo') && ctx.env.isEditingText?.()) return ctx.env.nativeEdit?.(command);
      switch (command) {
        case 'undo':
          return s.undo();
        case 'redo':
          return s.redo();
        case 'save':
          return void s.saveWorkspace();
        case 'saveAs':
          return s.info?.nativeDialogs ? void s.saveWorkspaceAs() : s.openPathPrompt({ mode: 'save' });
        case 'open':
          return s.info?.nativeDialogs ? void s.openWorkspace() : s.openPathPrompt({ mode: 'open' });
        case 'newFromDemo':
          return void s.newFromDemo();
      }
    },
  };
}
