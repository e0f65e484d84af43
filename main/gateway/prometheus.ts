import { Counter, Gauge, Registry } from 'prom-client';
import { FAILURE_REASONS } from '../../shared/monitor';
import { PROM_BUCKETS, type BackendMeter } from './backend-meter';
import type { LlmTokenSample } from './token-limit';

/*
 * `/metrics` (DESIGN §3) with prom-client, one Registry per gateway. Values are read from the meters at scrape time
 * (`collect`), so the hot path never touches prom-client's label maps.
 */
export interface MeterSource {
  meters(): ReadonlyMap<string, BackendMeter>;
  isOpen(backendId: string): boolean;
  /** The token metric's series (APIs with a tokenMetric). */
  llmTokens?(): Iterable<LlmTokenSample>;
}

const LLM = 'breakerboard_llm_tokens_total';
const LLM_HELP = 'Tokens per API, backend and kind (prompt, completion), with the dimensions of the API\'s token metric policy';

/**
 * The token metric (DESIGN §6): one counter family whose series carry each API's own dimensions as labels, so the
 * label set differs between APIs (valid in the text format); registered as a plain metric like the histogram.
 */
function registerLlmTokens(registry: Registry, src: MeterSource): void {
  registry.registerMetric({
    name: LLM,
    help: LLM_HELP,
    type: 'counter',
    aggregator: 'sum',
    get: async () => {
      const values: { labels: Record<string, string>; value: number }[] = [];
      for (const s of src.llmTokens?.() ?? []) {
        values.push({ labels: { api: s.api, backend: s.backend, kind: 'prompt', ...s.dimensions }, value: s.prompt });
        values.push({ labels: { api: s.api, backend: s.backend, kind: 'completion', ...s.dimensions }, value: s.completion });
      }
      return { name: LLM, help: LLM_HELP, type: 'counter', values, aggregator: 'sum' };
    },
  } as never);
}

const HIST = 'breakerboard_request_duration_seconds';

export function createMetricsRegistry(src: MeterSource): Registry {
  const registry = new Registry();
  new Counter({
    name: 'breakerboard_requests_total',
    help: 'Requests sent to each backend, by response status ("0" = no response)',
    labelNames: ['backend', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [backend, m] of src.meters()) {
        const byStatus = m.total.byStatus();
        for (const [status, n] of Object.entries(byStatus)) this.inc({ backend, status }, n);
        const noResponse = m.total.reasons[FAILURE_REASONS.indexOf('timeout')]! + m.total.reasons[FAILURE_REASONS.indexOf('connection-failure')]!;
        if (noResponse > 0) this.inc({ backend, status: '0' }, noResponse);
      }
    },
  });
  new Counter({
    name: 'breakerboard_failures_total',
    help: 'Failures per backend by reason (status, timeout, connection-failure, body-error, client-abort)',
    labelNames: ['backend', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [backend, m] of src.meters()) for (const [reason, n] of Object.entries(m.total.byReason())) this.inc({ backend, reason }, n);
    },
  });
  new Gauge({
    name: 'breakerboard_backend_open',
    help: '1 while the backend circuit breaker is open',
    labelNames: ['backend'],
    registers: [registry],
    collect() {
      for (const backend of src.meters().keys()) this.set({ backend }, src.isOpen(backend) ? 1 : 0);
    },
  });
  new Counter({
    name: 'breakerboard_tokens_total',
    help: 'Tokens reported in usage by each backend, by kind (prompt, completion)',
    labelNames: ['backend', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [backend, m] of src.meters()) {
        this.inc({ backend, kind: 'prompt' }, m.total.prompt);
        this.inc({ backend, kind: 'completion' }, m.total.completion);
      }
    },
  });
  // A histogram whose buckets are counted by the meters: registered as a plain metric object that prom-client formats.
  registry.registerMetric({
    name: HIST,
    help: 'Backend request duration in seconds (first byte sent to last byte received)',
    type: 'histogram',
    aggregator: 'sum',
    get: async () => {
      const values: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
      for (const [backend, m] of src.meters()) {
        let acc = 0;
        PROM_BUCKETS.forEach((le, i) => {
          acc += m.promBuckets[i]!;
          values.push({ metricName: `${HIST}_bucket`, labels: { backend, le }, value: acc });
        });
        values.push({ metricName: `${HIST}_bucket`, labels: { backend, le: '+Inf' }, value: m.promCount });
        values.push({ metricName: `${HIST}_sum`, labels: { backend }, value: m.promSum });
        values.push({ metricName: `${HIST}_count`, labels: { backend }, value: m.promCount });
      }
      return { name: HIST, help: 'Backend request duration in seconds (first byte sent to last byte received)', type: 'histogram', values, aggregator: 'sum' };
    },
  } as never);
  registerLlmTokens(registry, src);
  return registry;
}
