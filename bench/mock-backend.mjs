// A trivial OpenAI-compatible backend for the benchmark: answers chat completions at once, as JSON (with usage) or
// as a short SSE stream when the body asks for `"stream":true`. Prints its port as one JSON line on stdout.
import { createServer } from 'node:http';

const json = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello! How can I help you today?' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 9, total_tokens: 18 },
  }),
);
const chunk = (content) => `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
const first = Buffer.from(chunk('Hello'));
const rest = Buffer.from(`${chunk('!')}${chunk(' How can I help?')}data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } })}\n\ndata: [DONE]\n\n`);
// Time between the first chunk and the rest of a stream: TTFB is measured before it, so it must not matter.
const STREAM_GAP_MS = Number(process.env.MOCK_STREAM_GAP_MS ?? 20);

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  let streaming = false;
  req.on('data', (c) => {
    if (!streaming && c.includes('"stream":true')) streaming = true;
  });
  req.on('end', () => {
    if (!streaming) {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': json.length });
      res.end(json);
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(first);
    setTimeout(() => res.end(rest), STREAM_GAP_MS);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
