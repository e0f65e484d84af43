import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { chooseApi } from './api';
import { App, FatalScreen } from './app/app';
import { isEditingText } from './app/editing-text';
import { createAppStore } from './store/create-app-store';
import './global.css';

// The CSP forbids eval; zod would probe for it (and log a CSP violation) unless told not to compile validators.
z.config({ jitless: true });

const root = createRoot(document.getElementById('root')!);
const choice = chooseApi(window);
if (!choice.ok) {
  root.render(<FatalScreen message={choice.message} />);
} else {
  const store = createAppStore(choice.api, {
    storage: window.sessionStorage,
    isEditingText: () => isEditingText(document),
    nativeEdit: (command) => document.execCommand(command),
  });
  if (choice.platform === 'serve') {
    let wasOffline = false;
    choice.transport.onConnection((state) => {
      store.getState().setConnection(state);
      // After a gap, events may have been missed: read the current state again.
      if (state === 'online' && wasOffline) void store.getState().refreshWorkspace().catch(() => undefined);
      wasOffline = state !== 'online';
    });
  }
  root.render(<App store={store} keyboardShortcuts={choice.platform === 'serve'} />);
}
