import { BeakerRegular, CloudArrowUpRegular, PlugDisconnectedRegular, PulseRegular } from '@fluentui/react-icons';
import { useAppStore } from '../store/store-context';
import { selectWorkspaceValue } from '../store/workspace/selectors';
import { EmptyState } from './empty-state';
import { ScreenLayout } from './screen-layout';

/*
 * The screens later issues build (breaker editor, live monitor, simulation, deploy). Each says what it will do and
 * what the workspace already holds for it, so the frame is usable and honest in the meantime.
 */
function breakerCount(value: Record<string, unknown> | null): { backends: number; withRule: number } {
  const backends = Object.values((value?.backends ?? {}) as Record<string, { circuitBreaker?: { rules?: unknown[] } }>);
  return { backends: backends.length, withRule: backends.filter((b) => (b?.circuitBreaker?.rules?.length ?? 0) > 0).length };
}

export function BreakersScreen() {
  const { backends, withRule } = breakerCount(useAppStore(selectWorkspaceValue));
  return (
    <ScreenLayout id="breakers" title="Circuit breakers" lead="When a backend answers 429 or 5xx too often, its breaker takes it out of the pool for a while.">
      <EmptyState Icon={PlugDisconnectedRegular} title="The breaker rule editor is not in this build yet" testId="empty-breakers">
        {`${withRule} of ${backends} backends have a breaker rule in this workspace. Edit them in the workspace file for now; this screen will show each rule on a timeline.`}
      </EmptyState>
    </ScreenLayout>
  );
}

export function MonitorScreen() {
  return (
    <ScreenLayout id="monitor" title="Monitor" lead="Requests, trips and failovers of the local gateway, as they happen.">
      <EmptyState Icon={PulseRegular} title="Nothing to watch yet" testId="empty-monitor">
        Start the local gateway on this workspace (with simulated backends or the real ones) to see per-backend health, trip events and charts here.
        From a terminal: <code>npx breakerboard gateway &lt;workspace&gt; --simulate</code>.
      </EmptyState>
    </ScreenLayout>
  );
}

export function SimulateScreen() {
  return (
    <ScreenLayout id="simulate" title="Simulate" lead="Throttle or break simulated backends, run load, and rehearse a failover drill.">
      <EmptyState Icon={BeakerRegular} title="Fault injection and load are not in this build yet" testId="empty-simulate">
        Meanwhile the command line does it: <code>npx breakerboard drill &lt;workspace&gt; &lt;drill.yaml&gt;</code> runs the demo&apos;s failover drill.
      </EmptyState>
    </ScreenLayout>
  );
}

export function DeployScreen() {
  return (
    <ScreenLayout id="deploy" title="Deploy" lead="Sign in, pick the API Management service, review the plan, apply.">
      <EmptyState Icon={CloudArrowUpRegular} title="Deployment from the app is not in this build yet" testId="empty-deploy">
        Export Bicep or an ARM template with <code>npx breakerboard export &lt;workspace&gt; --format bicep</code>, or use <code>plan</code> and <code>apply</code>.
      </EmptyState>
    </ScreenLayout>
  );
}
