/** Whether keyboard focus is in a text field, where Ctrl+Z belongs to the field. */
export function isEditingText(doc: Document = document): boolean {
  const el = doc.activeElement as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return ['text', 'search', 'url', 'email', 'password', 'number', 'tel'].includes(type);
}
