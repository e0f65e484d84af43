import { afterEach, describe, expect, it } from 'vitest';
import { validateWorkspace } from '../../shared/model';
import { compileRoutes } from '../../shared/semantics';
import { Bus } from './event-bus';
import { buildUpstreams, closeUpstreams, type Upstream } from './upstreams';

/*
 * The engine's plumbing, without a server: the upstream connection pools kept, shared and closed across reloads
 * (upstreams.ts), and the event bus's unsubscribe (event-bus.ts). Pools are never connected here (nothing is sent).
 */

function table(backends: Record<string, string>, connect = 'PT5S') {
  const r = validateWorkspace({ version: 1, backends: Object.fromEntries(Object.entries(backends).map(([id, url]) => [id, { url }])), gateway: { timeouts: { connect } } });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return compileRoutes(r.workspace);
}

const built: Map<string, Upstream>[] = [];
afterEach(async () => {
  for (const u of built.splice(0)) await closeUpstreams(u, true);
});

function build(t: ReturnType<typeof table>, previous?: Map<string, Upstream>): Map<string, Upstream> {
  const u = buildUpstreams(t, previous);
  built.push(u);
  return u;
}

const view = (u: Map<string, Upstream>) => Object.fromEntries([...u].map(([id, x]) => [id, { key: x.key, basePath: x.basePath }]));

describe('buildUpstreams', () => {
  it('one pool per origin and connect timeout, shared by backends on it; each keeps its own base path', () => {
    const u = build(table({ x: 'http://127.0.0.1:9/openai', y: 'http://127.0.0.1:9/other/', z: 'http://localhost:9/z' }));
    expect(view(u)).toEqual({
      x: { key: 'http://127.0.0.1:9|5000', basePath: '/openai' },
      y: { key: 'http://127.0.0.1:9|5000', basePath: '/other' },
      z: { key: 'http://localhost:9|5000', basePath: '/z' },
    });
    expect(u.get('y')!.pool).toBe(u.get('x')!.pool);
    expect(u.get('z')!.pool).not.toBe(u.get('x')!.pool);
  });

  it('a reload keeps the pools still used and closes only those no backend uses any more', () => {
    const first = build(table({ x: 'http://127.0.0.1:9/openai', z: 'http://localhost:9/z' }));
    const second = build(table({ x: 'http://127.0.0.1:9/v2', w: 'http://localhost:10/w' }), first);
    expect(second.get('x')!.pool).toBe(first.get('x')!.pool);
    expect(second.get('x')!.basePath).toBe('/v2');
    expect(first.get('x')!.pool.closed).toBe(false);
    expect(first.get('z')!.pool.closed).toBe(true);
    expect(second.get('w')!.pool.closed).toBe(false);

    // Another connect timeout is another pool: the old one is closed.
    const third = build(table({ x: 'http://127.0.0.1:9/v2' }, 'PT1S'), second);
    expect(third.get('x')!.key).toBe('http://127.0.0.1:9|1000');
    expect(third.get('x')!.pool).not.toBe(second.get('x')!.pool);
    expect(second.get('x')!.pool.closed).toBe(true);
    expect(second.get('w')!.pool.closed).toBe(true);
    expect(third.get('x')!.pool.closed).toBe(false);
  });
});

describe('Bus', () => {
  it('delivers to every listener, survives one that throws, and stops delivering after unsubscribe', () => {
    const bus = new Bus<number>();
    const got: number[] = [];
    bus.subscribe(() => {
      throw new Error('faulty subscriber');
    });
    const off = bus.subscribe((v) => got.push(v));
    expect(bus.size).toBe(2);
    bus.emit(1);
    off();
    expect(bus.size).toBe(1);
    bus.emit(2);
    expect(got).toEqual([1]);
  });
});
