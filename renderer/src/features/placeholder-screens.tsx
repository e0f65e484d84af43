import { BeakerRegular, CloudArrowUpRegular, PulseRegular } from '@fluentui/react-icons';
import { EmptyState } from './empty-state';
import { ScreenLayout } from './screen-layout';

/*
 * The screens later issues build (breaker editor, live monitor, simulation, deploy). Each says what it will do and
 * what the workspace already holds for it, so the frame is usable and honest in the meantime.
 */
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
