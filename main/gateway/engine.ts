import type { TokenCredential } from '@azure/core-auth';
import type { Issue, RegionEmission, Workspace } from '../../shared/model';
import type { ClientBucket, GatewayEvent, GatewaySnapshot } from '../../shared/monitor';
import { compileRoutes, regionKey, Router, type BreakerChange } from '../../shared/semantics';
import type { SecretSource } from '../secrets/secret-source';
import { envSecretSource } from '../secrets/secret-source';
import { BackendMeter } from './backend-meter';
import { createCredentials, type CredentialFactory, type Credentials, type TokenCache } from './credentials';
import { Bus } from './event-bus';
import type { AccessLogEntry } from './exchange';
import { TokenPolicies } from './token-limit';
import { isoClamped, timerDelay } from './long-timer';
import { buildUpstreams, closeUpstreams, type Upstream } from './upstreams';

const HOUR_MS = 3_600_000;

/** A user-assigned identity (the backend's `clientId`) is asked for by its client id; else the system-assigned one. */
export const defaultCredentialOptions = (clientId: string | undefined): { managedIdentityClientId?: string } => (clientId ? { managedIdentityClientId: clientId } : {});

/**
 * DefaultAzureCredential (managed identity on Azure, the developer's Azure CLI login locally), loaded on first use:
 * @azure/identity is large and most workspaces use api-key backends.
 */
const defaultCredential: CredentialFactory = (clientId) => {
  let real: Promise<TokenCredential> | undefined;
  return {
    getToken: async (scopes, options) => {
      real ??= import('@azure/identity').then(({ DefaultAzureCredential }) => new DefaultAzureCredential(defaultCredentialOptions(clientId)));
      return (await real).getToken(scopes, options);
    },
  };
};

export interface EngineOptions {
  speed?: number;
  backendUrls?: Record<string, string>;
  secrets?: SecretSource;
  credentialFactory?: CredentialFactory;
  now?: () => number;
  /** Timers that announce resets at openUntil; default real. A drill in virtual time passes its clock's. */
  timers?: EngineTimers;
}

export interface EngineTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_TIMERS: EngineTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Everything a gateway process knows (APIM-SEMANTICS B9): the current route table and routing state, upstream
 * pools, credentials, meters, events. `apply` swaps a new table in atomically: requests already running finish
 * with the table they started with.
 */
const HISTORY_SECONDS = 900;
const HISTORY_EVENTS = 1000;

/** Appends, dropping the oldest beyond `max`: bounded whatever the uptime. */
function keepLast<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

export class GatewayEngine {
  router!: Router;
  upstreams = new Map<string, Upstream>();
  credentials!: Credentials;
  readonly meters = new Map<string, BackendMeter>();
  /** Token limits and token metrics per API (main/gateway/token-limit). */
  readonly tokens = new TokenPolicies();
  readonly events = new Bus<GatewayEvent>();
  readonly snapshots = new Bus<GatewaySnapshot>();
  /** Gateway-answered errors: this second, and since start. */
  readonly gatewayErrors = new Map<string, number>();
  readonly gatewayErrorsTotal = new Map<string, number>();
  /** What clients got this second (final status per request), see `clientBucketSchema`. */
  private client: ClientBucket = { requests: 0, byStatus: {}, retried: 0, saved: 0 };
  readonly now: () => number;
  readonly speed: number;
  inFlight = 0;
  /** Set when --access-log (or a caller) wants one entry per request; left undefined it costs nothing. */
  accessLog: ((entry: AccessLogEntry) => void) | undefined;
  readonly startedAt: number;
  private readonly timers = new Map<string, unknown>();
  private readonly clock: EngineTimers;
  /** The last 15 minutes of snapshots and the last events, so a UI that (re)connects can draw what it missed. */
  private readonly recentSnapshots: GatewaySnapshot[] = [];
  private readonly recentEvents: GatewayEvent[] = [];
  /** Backends whose trip has been announced and whose reset has not yet. */
  private readonly announcedOpen = new Set<string>();
  private readonly tokenCaches = new Map<string, TokenCache>();
  private readonly secrets: SecretSource;
  private readonly credentialFactory: CredentialFactory;
  private second: number;

  constructor(
    workspace: Workspace,
    private readonly opts: EngineOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.clock = opts.timers ?? REAL_TIMERS;
    this.speed = opts.speed && opts.speed > 0 ? opts.speed : 1;
    this.secrets = opts.secrets ?? envSecretSource();
    this.credentialFactory = opts.credentialFactory ?? defaultCredential;
    this.startedAt = this.now();
    this.second = Math.floor(this.startedAt / 1000);
    this.install(workspace);
  }

  private install(ws: Workspace): string[] {
    const table = compileRoutes(ws, { speed: this.speed, backendUrls: this.opts.backendUrls });
    const previous = this.router as Router | undefined;
    const router = new Router(table, previous);
    const upstreams = buildUpstreams(table, this.upstreams);
    this.credentials = createCredentials(table.backends.values(), this.secrets, this.credentialFactory, this.tokenCaches, this.now);
    for (const id of table.backends.keys()) if (!this.meters.has(id)) this.meters.set(id, new BackendMeter(this.closeEndedSecond));
    for (const id of [...this.meters.keys()]) if (!table.backends.has(id)) this.meters.delete(id);
    this.router = router;
    this.upstreams = upstreams;
    this.tokens.install(ws, this.speed);
    const kept = previous ? router.keptFrom(previous) : [];
    // Timers of breakers that were replaced belong to state that no longer exists.
    for (const id of [...this.timers.keys()]) {
      if (!kept.includes(id)) {
        this.clock.clearTimeout(this.timers.get(id));
        this.timers.delete(id);
        this.announcedOpen.delete(id);
      }
    }
    for (const p of this.credentials.problems) this.emit({ type: 'warning', backend: null, at: this.iso(), reason: p });
    return kept;
  }

  /** Reload (DESIGN §1 file edits, the UI): new table in, state kept where rules are unchanged, `config` event. */
  apply(ws: Workspace): void {
    const kept = this.install(ws);
    this.emit({ type: 'config', backend: null, ok: true, kept, at: this.iso(), reason: 'reloaded' });
  }

  refuse(errors: Issue[]): void {
    this.emit({ type: 'config', backend: null, ok: false, errors, at: this.iso(), reason: 'invalid edit refused; the previous configuration keeps serving' });
  }

  iso(t = this.now()): string {
    return isoClamped(t);
  }

  emit(e: GatewayEvent): void {
    keepLast(this.recentEvents, e, HISTORY_EVENTS);
    this.events.emit(e);
  }

  gatewayError(code: string): void {
    this.closeEndedSecond();
    this.gatewayErrors.set(code, (this.gatewayErrors.get(code) ?? 0) + 1);
    this.gatewayErrorsTotal.set(code, (this.gatewayErrorsTotal.get(code) ?? 0) + 1);
  }

  /** A client request ended with `status` after `attempts` tries (0: the gateway answered it itself). */
  clientOutcome(status: number, attempts: number): void {
    this.closeEndedSecond();
    const c = this.client;
    c.requests++;
    c.byStatus[status] = (c.byStatus[status] ?? 0) + 1;
    if (attempts > 1) {
      c.retried++;
      if (status >= 200 && status < 300) c.saved++;
    }
  }

  /** A breaker tripped or was extended: announce it and (re)arm the timer that announces the reset at openUntil. */
  breakerChanged(backend: string, change: BreakerChange, retryAfterRawMs: number | undefined): void {
    this.announcedOpen.add(backend);
    this.emit({ type: 'trip', backend, at: this.iso(), openUntil: this.iso(change.openUntil), reason: change.reason, ...(change.kind === 'extend' ? { extended: true } : {}) });
    if (retryAfterRawMs !== undefined && retryAfterRawMs > HOUR_MS && change.retryAfterMs !== undefined) {
      this.emit({ type: 'warning', backend, at: this.iso(), reason: `Retry-After of ${Math.round(retryAfterRawMs / 1000)} s (over one hour) keeps ${backend} open until ${this.iso(change.openUntil)}` });
    }
    this.arm(backend);
  }

  private arm(backend: string): void {
    this.clock.clearTimeout(this.timers.get(backend));
    const breaker = this.router.breakers.get(backend);
    if (!breaker) return;
    this.timers.set(backend, this.clock.setTimeout(() => this.expire(backend), timerDelay(breaker.openUntil, this.now())));
  }

  private expire(backend: string): void {
    this.timers.delete(backend);
    const breaker = this.router.breakers.get(backend);
    if (!breaker) return;
    if (breaker.isOpen(this.now())) return this.arm(backend);
    if (breaker.openUntil !== 0) breaker.close();
    if (this.announcedOpen.delete(backend)) this.emit({ type: 'reset', backend, at: this.iso(), reason: 'expired' });
  }

  /** Manual reset (POST /_breakerboard/backends/<id>/reset). */
  reset(backend: string): boolean {
    if (!this.router.reset(backend)) return false;
    this.clock.clearTimeout(this.timers.get(backend));
    this.timers.delete(backend);
    this.announcedOpen.delete(backend);
    this.emit({ type: 'reset', backend, at: this.iso(), reason: 'manual' });
    return true;
  }

  /**
   * A region's carbon emission from now on (a drill's `carbon` step, the admin endpoint, the Simulate screen), or
   * `null` to go back to the workspace's value (F-ROUTE-7). Announced as a `config` event so views re-read status.
   */
  setCarbonEmission(region: string, emission: RegionEmission | null): { emission: RegionEmission | null; source: 'workspace' | 'set' | 'none' } {
    const carbon = this.router.carbon;
    carbon.set(region, emission);
    const now = carbon.view()[regionKey(region)];
    this.emit({ type: 'config', backend: null, ok: true, at: this.iso(), reason: `carbon emission of ${region}: ${now?.emission ?? 'none'} (${now ? (now.source === 'set' ? 'set at run time' : 'the workspace value') : 'no value'})` });
    return now ? { emission: now.emission, source: now.source } : { emission: null, source: 'none' };
  }

  isOpen(backend: string): boolean {
    return this.router.breakers.get(backend)?.isOpen(this.now()) ?? false;
  }

  /**
   * Closes the second in progress: one snapshot to subscribers, counters into the rolling window. The bucket is
   * labelled by the clock, never by counting calls: a timer that fires a moment early (libuv's cached loop time)
   * used to close a second twice and push every later label one second ahead of the events, ~12 s after 10 minutes.
   * An early call closes nothing. Every count first closes a second that has ended (`closeEndedSecond`), so after
   * a late tick, a stall or a clock jump a count still lands in the second its events carry, not the one that was
   * open at the last tick (a 429 counted 10 minutes before its trip, outside the Monitor's window).
   */
  readonly closeEndedSecond = (): void => this.tick();

  tick(): void {
    const current = Math.floor(this.now() / 1000);
    if (current <= this.second) return;
    const t = this.second * 1000;
    const backends: GatewaySnapshot['backends'] = {};
    for (const [id, m] of this.meters) backends[id] = { state: this.isOpen(id) ? 'open' : 'closed', ...m.fold(this.second) };
    const snapshot: GatewaySnapshot = { at: this.iso(t), t, backends, gatewayErrors: Object.fromEntries(this.gatewayErrors), client: this.client, ...this.tokens.snapshotPart() };
    this.gatewayErrors.clear();
    this.client = { requests: 0, byStatus: {}, retried: 0, saved: 0 };
    // Seconds nobody closed (a stalled loop, a clock jump) are empty: clear their slots of the rolling window.
    for (let s = Math.max(this.second + 1, current - HISTORY_SECONDS); s < current; s++) for (const m of this.meters.values()) m.fold(s);
    this.second = current;
    keepLast(this.recentSnapshots, snapshot, HISTORY_SECONDS);
    this.snapshots.emit(snapshot);
  }

  /** Snapshots of the last `seconds` (at most 15 min) and the events of that time, oldest first. */
  history(seconds: number): { snapshots: GatewaySnapshot[]; events: GatewayEvent[] } {
    const snapshots = this.recentSnapshots.slice(-Math.max(0, Math.min(seconds, HISTORY_SECONDS)));
    const from = snapshots[0]?.t ?? this.now();
    return { snapshots, events: this.recentEvents.filter((e) => Date.parse(e.at) >= from - 1000) };
  }

  async close(force: boolean): Promise<void> {
    for (const t of this.timers.values()) this.clock.clearTimeout(t);
    this.timers.clear();
    await closeUpstreams(this.upstreams, force);
  }
}
