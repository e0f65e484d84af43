import { describe, expect, it } from 'vitest';
import { createSseParser } from './sse-parser';

describe('SSE parser', () => {
  it('parses events split anywhere, with CRLF, comments and multi-line data', () => {
    const got: [string, string][] = [];
    const p = createSseParser((e, d) => got.push([e, d]));
    const stream = ': connected\r\n\r\nevent: workspace.changed\r\ndata: {"a":1}\r\n\r\ndata: line1\ndata: line2\n\nevent: x\n\n';
    for (const ch of stream) p.push(ch);
    expect(got).toEqual([
      ['workspace.changed', '{"a":1}'],
      ['message', 'line1\nline2'],
    ]);
  });
});
