import { watch, type FSWatcher } from 'node:fs';
import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stringify } from 'yaml';
import type { Issue, Workspace } from '../../shared/model';
import { seedWorkspace } from '../../test/support/test-backend';
import type { GatewayEngine } from './engine';
import { watchWorkspace } from './watch';

/*
 * watchWorkspace against a real folder: saves are atomic renames (one event each, as editors and our own save make
 * them), the 150 ms debounce runs on fake timers, and "the watcher has seen this event" is known from a second watch
 * of the same folder (libuv hands one inotify event to every watch of the folder in the same turn). Reloads run one
 * after another, so a reload that changes nothing is proven by the next one that does.
 */

const realSetTimeout = globalThis.setTimeout; // captured before any test fakes timers
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The workspace text with the second pool member at `weight`: which save a reload applied. */
const text = (weight: number) => {
  const ws = seedWorkspace({ url: 'http://127.0.0.1:9/openai' }, { url: 'http://127.0.0.1:9/openai' });
  ws.pools.mybackendpool.services[1]!.weight = weight;
  return stringify(ws);
};

/** What watch asks of the engine, recorded: the weights applied and the errors refused, in order. */
function recordingEngine() {
  const applied: number[] = [];
  const refused: Issue[][] = [];
  let wake = () => {};
  const engine = {
    apply: (ws: Workspace) => (applied.push(ws.pools?.mybackendpool?.services[1]?.weight ?? 0), wake()),
    refuse: (errors: Issue[]) => (refused.push(errors), wake()),
  };
  /** Waits (bounded) until the engine has been called `n` times in all. */
  const calls = async (n: number) => {
    for (let i = 0; i < 100 && applied.length + refused.length < n; i++) {
      await new Promise<void>((r) => {
        const t = realSetTimeout(r, 50);
        wake = () => (clearTimeout(t), r());
      });
    }
    expect(applied.length + refused.length).toBe(n);
  };
  // watchWorkspace calls only apply and refuse
  return { applied, refused, calls, engine: engine as unknown as GatewayEngine };
}

async function setup(initial = text(1)) {
  const dir = await mkdtemp(join(tmpdir(), 'bb-watch-'));
  const staging = await mkdtemp(join(tmpdir(), 'bb-watch-staging-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }), () => rm(staging, { recursive: true, force: true }));
  const file = join(dir, 'workspace.yaml');
  await writeFile(file, initial);
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  const rec = recordingEngine();
  // The watcher watchWorkspace creates, for the events no Linux file system produces (no file name, an error).
  const probe = watch(dir); // node does not export the FSWatcher class itself
  const on = vi.spyOn(Object.getPrototypeOf(probe) as FSWatcher, 'on');
  probe.close();
  const stop = watchWorkspace(file, rec.engine);
  const watcher = on.mock.contexts[0] as FSWatcher;
  on.mockRestore();
  cleanups.push(stop);

  /** Runs `change` and resolves once watchWorkspace's watcher has been handed the event for `name`. */
  const seen = async (name: string, change: () => Promise<void>) => {
    let observer: FSWatcher | undefined;
    const event = new Promise<void>((r) => (observer = watch(dir, (_e, f) => f === name && r())));
    try {
      await change();
      await event;
    } finally {
      observer!.close();
    }
    await new Promise((r) => setImmediate(r));
  };
  let n = 0;
  /** Saves `content` as editors do (written elsewhere, renamed over the file), then lets the debounce run out. */
  const save = async (content: string, debounce = true) => {
    const tmp = join(staging, `save-${n++}`);
    await writeFile(tmp, content);
    await seen('workspace.yaml', () => rename(tmp, file));
    if (debounce) vi.advanceTimersByTime(150);
  };
  return { ...rec, dir, file, stop, watcher, seen, save };
}

describe('watchWorkspace', () => {
  it('a save that leaves the text as it was (the text it started with, or the last applied) is not applied again', async () => {
    const w = await setup(text(1));
    await w.save(text(1));
    await w.save(text(5));
    await w.calls(1);
    await w.save(text(5));
    await w.save(text(7));
    await w.calls(2);
    expect(w.applied).toEqual([5, 7]);
    expect(w.refused).toEqual([]);
  });

  it('a deleted file (an editor between delete and write) is not refused; an invalid save is, naming the field', async () => {
    const w = await setup();
    await w.seen('workspace.yaml', () => unlink(w.file));
    vi.advanceTimersByTime(150);
    await w.save(text(5));
    await w.calls(1);
    expect(w.refused).toEqual([]);
    await w.save('version: 1\nbackends: { x: { url: not-a-url } }\n');
    await w.calls(2);
    expect(w.applied).toEqual([5]);
    expect(w.refused.map((errors) => errors.map((e) => e.path))).toEqual([['backends.x.url']]);
  });

  it('only events for the workspace file, or events that name no file, start the debounce', async () => {
    const w = await setup();
    await w.seen('notes.txt', () => writeFile(join(w.dir, 'notes.txt'), 'not the workspace'));
    expect(vi.getTimerCount()).toBe(0);
    // Some platforms report no file name: that may be the workspace, so it reloads.
    w.watcher.emit('change', 'rename', null);
    expect(vi.getTimerCount()).toBe(1);
    await w.save(text(5));
    await w.calls(1);
    expect(w.applied).toEqual([5]);
  });

  it('an error of the watch is swallowed: the gateway keeps serving the table it has', async () => {
    const w = await setup();
    expect(() => w.watcher.emit('error', new Error('EPERM: the folder went away'))).not.toThrow();
  });

  it('the returned stop cancels a pending reload and ends the watch', async () => {
    const w = await setup();
    await w.save(text(5), false);
    expect(vi.getTimerCount()).toBe(1);
    w.stop();
    expect(vi.getTimerCount()).toBe(0);
    await w.save(text(7), false);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(150);
    expect(w.applied).toEqual([]);
  });
});
