/*
 * Server-Sent Events, parsed from text chunks as they arrive (we read the stream with fetch, not EventSource, so
 * the token can travel in the Authorization header). Handles CRLF, comments, multi-line data and split chunks.
 */
export interface SseParser {
  push(chunk: string): void;
}

export function createSseParser(onEvent: (event: string, data: string) => void): SseParser {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const dispatchEvent = () => {
    if (data.length > 0) onEvent(event || 'message', data.join('\n'));
    event = '';
    data = [];
  };
  return {
    push(chunk) {
      buffer += chunk;
      let nl: number;
      while ((nl = buffer.search(/\r\n|\n|\r/)) >= 0) {
        const lineEnd = buffer[nl] === '\r' && buffer[nl + 1] === '\n' ? 2 : 1;
        // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
        if (buffer[nl] === '\r' && nl + 1 === buffer.length) break;
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + lineEnd);
        if (line === '') dispatchEvent();
        else if (line.startsWith(':')) continue;
        else {
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
        }
      }
    },
  };
}
