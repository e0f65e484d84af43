import { useEffect } from 'react';
import type { AppCommand } from '../../../shared/contract';
import { isEditingText } from './editing-text';

/** The key for a command, for tooltips: Ctrl on Windows/Linux, ⌘ on macOS. */
export const shortcutLabel = (key: string): string =>
  `${typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform) ? '⌘' : 'Ctrl+'}${key}`;

export function commandForKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, editing: boolean): AppCommand | null {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return null;
  const key = e.key.toLowerCase();
  if (key === 's') return e.shiftKey ? 'saveAs' : 'save';
  if (key === 'o') return 'open';
  if (editing) return null; // Ctrl+Z in a field undoes typing, not the workspace
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (key === 'y') return 'redo';
  return null;
}

/**
 * The browser's shortcuts (serve mode). The desktop app gets the same commands from its native menu instead, so
 * this listener is off there and a key never runs twice.
 */
export function useShortcuts(enabled: boolean, run: (command: AppCommand) => void): void {
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      const command = commandForKey(e, isEditingText());
      if (!command) return;
      e.preventDefault();
      run(command);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [enabled, run]);
}
