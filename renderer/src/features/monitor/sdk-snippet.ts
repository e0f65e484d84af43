/*
 * What a developer pastes to point an app at the local gateway, with the official `openai` package. An api on
 * `openai` is Azure-style (AzureOpenAI appends /openai to the endpoint); one on `v1` is OpenAI-style. The key is a
 * placeholder: on loopback the gateway needs none and replaces the client's with the backend's own credentials.
 */
export function sdkSnippet(url: string, apiPath: string | undefined, deployment = 'gpt-4o'): string {
  const path = (apiPath ?? 'openai').replace(/^\/+|\/+$/g, '');
  if (path === 'v1' || path.endsWith('/v1')) {
    return `import OpenAI from 'openai';

const client = new OpenAI({ baseURL: '${url}/${path}', apiKey: 'local' });
const answer = await client.chat.completions.create({
  model: '${deployment}',
  messages: [{ role: 'user', content: 'Hello' }],
});
console.log(answer.choices[0].message.content);`;
  }
  const endpoint = path === 'openai' ? url : `${url}/${path.replace(/\/?openai$/, '')}`;
  return `import { AzureOpenAI } from 'openai';

const client = new AzureOpenAI({
  endpoint: '${endpoint}',
  apiKey: 'local', // the gateway adds each backend's own key
  apiVersion: '2024-10-21',
  deployment: '${deployment}',
});
const answer = await client.chat.completions.create({
  model: '${deployment}',
  messages: [{ role: 'user', content: 'Hello' }],
});
console.log(answer.choices[0].message.content);`;
}
