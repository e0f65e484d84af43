import type { DeployedDrillDone, DeployedReading, DeployedService } from '../../../../shared/contract';

/* The deployed service for renderer tests: readings and subscriptions as given; no drills. */
export function createFakeDeployed(opts: { reading?: DeployedReading } = {}): DeployedService & { calls: unknown[] } {
  const calls: unknown[] = [];
  const done = new Set<(d: DeployedDrillDone) => void>();
  return {
    calls,
    monitor: async (input) => {
      calls.push(input);
      return opts.reading ?? { available: false, report: null, discoveredFrom: null, reason: 'no service named', howTo: 'set target: in the workspace' };
    },
    listKeys: async () => ({ subscriptions: [] }),
    runDrill: async () => ({ started: false }),
    onDrillDone: (l) => {
      done.add(l);
      return () => done.delete(l);
    },
  };
}
