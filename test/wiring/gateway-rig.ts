import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startGateway, type GatewayEvent, type GatewayHandle, type GatewayOptions } from '../../main/gateway';
import { loadWorkspaceFile } from '../../main/workspace/workspace-file';
import { FakeClock } from '../support/fake-clock';
import { refusedPort, startTestBackend, testSecrets, type TestBackend } from '../support/test-backend';

/*
 * The real gateway started from a workspace file, as `breakerboard gateway <ws>` does (load + validate the file,
 * then startGateway), in front of test backends on 127.0.0.1, with an injected clock so breaker windows and trip
 * durations are driven by the test, never by sleeping. Used by the wiring tests (issue 19) and the parity suite
 * (docs/apim-fidelity.md): both observe only the wire — what the client got, which backend was called how often.
 */

export interface Answer {
  status: number;
  code?: string;
  backend: string | null;
  attempts: string | null;
  headers: Headers;
  body: string;
}

export interface Rig {
  gw: GatewayHandle;
  clock: FakeClock;
  backends: Record<string, TestBackend>;
  events: GatewayEvent[];
  /** Where the workspace file was written. */
  file: string;
  /** A chat completion through the API at `path` (default `openai`). */
  chat(init?: { path?: string; body?: string; headers?: Record<string, string>; method?: string; rest?: string }): Promise<Answer>;
  /** Requests each backend received, by id. */
  calls(): Record<string, number>;
  state(backend: string): string;
}

const open: { close(): Promise<void> }[] = [];

/** Closes every rig started since the last call (afterEach). */
export async function closeRigs(): Promise<void> {
  for (const r of open.splice(0).reverse()) await r.close();
}

/**
 * Starts backends with the given ids (a `refused:` prefix gives a port where nothing listens), writes the workspace
 * `build(urls)` returns as YAML, loads it like the CLI and starts the gateway on it. `extra` are more gateway
 * options (speed, access log, token credential), as the CLI or the desktop would pass them.
 */
export async function startRig(ids: string[], build: (url: Record<string, string>) => object, extra: Partial<GatewayOptions> = {}): Promise<Rig> {
  const backends: Record<string, TestBackend> = {};
  const url: Record<string, string> = {};
  for (const id of ids) {
    if (id.startsWith('refused:')) {
      url[id.slice('refused:'.length)] = `http://127.0.0.1:${await refusedPort()}/openai`;
      continue;
    }
    const b = await startTestBackend(id);
    open.push(b);
    backends[id] = b;
    url[id] = b.url;
  }
  const dir = await mkdtemp(join(tmpdir(), 'bb-rig-'));
  open.push({ close: () => rm(dir, { recursive: true, force: true }) });
  const file = join(dir, 'workspace.yaml');
  await writeFile(file, stringify({ version: 1, ...build(url) }));
  const loaded = await loadWorkspaceFile(file);
  if (!loaded.ok) throw new Error(`workspace file refused: ${JSON.stringify(loaded.errors)}`);
  const clock = new FakeClock();
  const gw = await startGateway({ workspace: loaded.workspace, secrets: testSecrets, now: clock.now, ...extra });
  open.push(gw);
  const events: GatewayEvent[] = [];
  gw.subscribe((e) => events.push(e));
  return {
    gw,
    clock,
    backends,
    events,
    file,
    async chat(init = {}) {
      const r = await fetch(`${gw.url}/${init.path ?? 'openai'}${init.rest ?? '/deployments/gpt-4o/chat/completions?api-version=2024-10-21'}`, {
        method: init.method ?? 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        body: (init.method ?? 'POST') === 'GET' ? undefined : (init.body ?? '{"messages":[]}'),
      });
      const body = await r.text();
      let code: string | undefined;
      try {
        code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
      } catch {
        /* not JSON */
      }
      return { status: r.status, code, backend: r.headers.get('x-breakerboard-backend'), attempts: r.headers.get('x-breakerboard-attempts'), headers: r.headers, body };
    },
    calls: () => Object.fromEntries(Object.entries(backends).map(([id, b]) => [id, b.received.length])),
    state: (backend) => gw.status().backends[backend]!.state,
  };
}

/** A breaker rule with the given failure condition (count 1 on 429 unless told), trip duration PT1M. */
export function rule(over: { count?: number; percentage?: number; interval?: string; ranges?: [number, number][]; tripDuration?: string; acceptRetryAfter?: boolean; failureResponse?: number } = {}) {
  return {
    rules: [
      {
        name: 'r',
        failureCondition: {
          ...(over.percentage !== undefined ? { percentage: over.percentage } : { count: over.count ?? 1 }),
          interval: over.interval ?? 'PT1M',
          statusCodeRanges: (over.ranges ?? [[429, 429]]).map(([min, max]) => ({ min, max })),
        },
        tripDuration: over.tripDuration ?? 'PT1M',
        acceptRetryAfter: over.acceptRetryAfter ?? false,
        ...(over.failureResponse ? { failureResponse: { statusCode: over.failureResponse } } : {}),
      },
    ],
  };
}

/** `n` answers in a row, in order. */
export async function chats(rig: Rig, n: number, init?: Parameters<Rig['chat']>[0]): Promise<Answer[]> {
  const out: Answer[] = [];
  for (let i = 0; i < n; i++) out.push(await rig.chat(init));
  return out;
}
