import { Counter, Gauge, Registry } from 'prom-client';
import { FAILURE_REASONS } from '../../shared/monitor';
import { PROM_BUCKETS, type BackendMeter } from './backend-meter';

/*
 * `/metrics` (DESIGN §3) with prom-client, one Registry per gateway. Values are read from the meters at scrape time
 * (`collect`), so the hot path never touches prom-client's label maps.
 */
export interface MeterSource {
  meters(): ReadonlyMap<string, BackendMeter>;
  isOpen(backendId: string): boolean;
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
  return registry;
}
