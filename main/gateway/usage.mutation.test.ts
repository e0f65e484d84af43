import { describe, expect, it } from 'vitest';
import { UsageScanner } from './usage';

/*
 * The usage scanner's limits, each at its exact edge: which content types are read, the 1 MiB a JSON answer may
 * have, the 16 KiB tail kept of a stream, how far back a `"usage"` key is looked for and how long its object may be.
 */

const MiB = 1024 * 1024;
const TAIL = 16 * 1024;

const scan = (sse: boolean, ...parts: string[]) => {
  const s = new UsageScanner(sse);
  for (const p of parts) s.push(Buffer.from(p));
  return s.result();
};
/** `n` bytes that hold no usage key. */
const filler = (n: number) => 'x'.repeat(n);

describe('UsageScanner.kind', () => {
  it('event streams, JSON, and nothing else', () => {
    expect(UsageScanner.kind('text/event-stream; charset=utf-8')).toBe('sse');
    expect(UsageScanner.kind('application/json')).toBe('json');
    expect(UsageScanner.kind('application/problem+json')).toBe('json');
    expect(UsageScanner.kind('text/plain')).toBeNull();
    expect(UsageScanner.kind('')).toBeNull();
    expect(UsageScanner.kind(undefined)).toBeNull();
  });
});

describe('a JSON answer', () => {
  const usage = '{"usage":{"prompt_tokens":7,"completion_tokens":3},"pad":"';

  it('is read whole up to 1 MiB, usage first included; one byte more counts nothing', () => {
    // Exactly 1 MiB, usage at the start, in 64 KiB chunks: nothing of it may be dropped.
    const exact = usage + filler(MiB - usage.length - 2) + '"}';
    expect(exact.length).toBe(MiB);
    const parts = (text: string) => Array.from({ length: Math.ceil(text.length / 65536) }, (_, i) => text.slice(i * 65536, (i + 1) * 65536));
    expect(scan(false, ...parts(exact))).toEqual({ prompt: 7, completion: 3 });
    const over = usage + filler(MiB - usage.length - 1) + '"}';
    expect(scan(false, ...parts(over))).toBeNull();
    // Once over, later chunks are not read either.
    expect(scan(false, filler(MiB + 1), '{"usage":{"prompt_tokens":1}}')).toBeNull();
  });

  it('reads "usage" at the very start of the body and after spaces (a pretty-printed answer)', () => {
    expect(scan(false, '"usage":{"prompt_tokens":2}')).toEqual({ prompt: 2, completion: 0 });
    expect(scan(false, JSON.stringify({ usage: { prompt_tokens: 4, completion_tokens: 1 } }, null, 2))).toEqual({ prompt: 4, completion: 1 });
    expect(scan(false, '{"usage" : {"prompt_tokens":5}}')).toEqual({ prompt: 5, completion: 0 });
  });

  it('a usage object that does not parse counts nothing (no later close is tried)', () => {
    expect(scan(false, '{"usage":{"a":"}{","prompt_tokens":7}}')).toBeNull();
  });

  it('a usage object is read up to 4096 bytes long', () => {
    const obj = (len: number) => {
      const head = '{"prompt_tokens":9,"pad":"';
      return head + filler(len - head.length - 2) + '"}';
    };
    expect(obj(4096).length).toBe(4096);
    expect(scan(false, `{"usage":${obj(4096)}}`)).toEqual({ prompt: 9, completion: 0 });
    expect(scan(false, `{"usage":${obj(4097)}}`)).toBeNull();
  });

  it('looks back past at most 50 "usage" keys that are not objects', () => {
    const nulls = (n: number) => '"usage":null,'.repeat(n);
    expect(scan(false, `{"usage":{"prompt_tokens":6},${nulls(49)}"z":1}`)).toEqual({ prompt: 6, completion: 0 });
    expect(scan(false, `{"usage":{"prompt_tokens":6},${nulls(50)}"z":1}`)).toBeNull();
  });
});

describe('a stream keeps its last 16 KiB', () => {
  const event = (p: number) => `data: {"choices":[],"usage":{"prompt_tokens":${p},"completion_tokens":1}}\n\n`;
  const done = 'data: [DONE]\n\n';

  it('drops a chunk once the chunks after it hold 16 KiB, keeps it while they hold less', () => {
    expect(scan(true, event(1), filler(TAIL))).toBeNull();
    expect(scan(true, event(1), filler(TAIL - 1))).toEqual({ prompt: 1, completion: 1 });
    // The same through many chunks: the early usage is gone, whatever the kept tail says.
    expect(scan(true, event(1), ...Array.from({ length: 20 }, () => `data: {"usage":null,"p":"${filler(1000)}"}\n\n`))).toBeNull();
  });

  it('keeps a large final chunk whole, and counts the bytes kept right after dropping', () => {
    // A final event of 9 KiB then [DONE]: less than the tail after it, so it stays.
    expect(scan(true, `data: {"usage":{"prompt_tokens":2,"completion_tokens":2},"p":"${filler(9000)}"}\n\n`, done)).toEqual({ prompt: 2, completion: 2 });
    // Two full tails go by before the final event; the count of kept bytes must fall with each drop.
    expect(scan(true, filler(TAIL), filler(TAIL), event(3), done)).toEqual({ prompt: 3, completion: 1 });
  });
});
