import { describe, expect, it } from 'vitest';
import { stickyMember } from './apim-answers';

// A cookie part without "=" is no cookie of that name, even when it is the name plus one more character: the
// name is what stands before "=", never the part minus its last character (docs/mutation-survivors.md).
describe('stickyMember skips parts without "="', () => {
  const members = [{ backend: 'east' }, { backend: 'west' }] as never;

  it('finds the named cookie after a part that is the name plus one character', () => {
    expect(stickyMember('sX; s=west', 's', members)).toBe(1);
    expect(stickyMember('bbsessX; bbsess=east', 'bbsess', members)).toBe(0);
  });
});
