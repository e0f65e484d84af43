import { useCallback, useEffect, useRef } from 'react';

const focusable = (el: Element | null): el is HTMLElement =>
  el instanceof HTMLElement && el.isConnected && !el.hasAttribute('disabled') && el.getAttribute('aria-hidden') !== 'true';

/** Focuses the first candidate (by data-testid) that is on the page and enabled; says whether one was found. */
export function focusFirstOf(testIds: readonly string[], root: ParentNode = document): boolean {
  for (const id of testIds) {
    const el = root.querySelector(`[data-testid="${id.replace(/["\\]/g, "\\$&")}"]`);
    if (focusable(el)) {
      el.focus();
      return true;
    }
  }
  return false;
}

/**
 * Focus that must land after the DOM under it changes (a card remounts in another lane, the last chip goes away).
 * Ask with the candidates in order of preference; they are tried after each render of the caller until one exists,
 * so focus returns to a control and never falls to <body> (WCAG 2.4.3).
 */
export function usePendingFocus(): (testIds: readonly string[]) => void {
  const pending = useRef<readonly string[] | null>(null);
  useEffect(() => {
    if (pending.current && focusFirstOf(pending.current)) pending.current = null;
  });
  return useCallback((testIds: readonly string[]) => {
    pending.current = testIds;
  }, []);
}

/**
 * Remembers the control that had focus when a dialog opened (or the given fallback when that was <body>, e.g. a
 * keyboard shortcut) and gives focus back to it when the dialog goes away.
 */
export function useReturnFocusOnUnmount(fallbackTestIds: readonly string[]): void {
  const opener = useRef<Element | null>(typeof document === 'undefined' ? null : document.activeElement);
  const fallback = useRef(fallbackTestIds);
  useEffect(
    () => () => {
      // After the dialog's own unmount work: Fluent's focus trap lets go first. Its own restore can land a moment
      // later (and on <body> when nothing had focus), so look once more shortly after; a control that has focus by
      // then is left alone.
      const restore = () => {
        const active = document.activeElement;
        if (active && active !== document.body) return;
        const el = opener.current;
        if (focusable(el) && el !== document.body) el.focus();
        else focusFirstOf(fallback.current);
      };
      setTimeout(restore, 0);
      setTimeout(restore, 60);
    },
    [],
  );
}
