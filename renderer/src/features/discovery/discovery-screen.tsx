import { useEffect } from 'react';
import { ScreenLayout } from '../screen-layout';
import { useAppStore } from '../../store/store-context';
import { DeploymentsCard } from './deployments-card';
import { PlannerCard } from './planner-card';
import { SuggestionCard } from './suggestion-card';

/** Discovery → suggestion → capacity plan (issue 17), top to bottom in the order a pool is designed. */
export function DiscoveryScreen() {
  const initDeploy = useAppStore((s) => s.initDeploy);
  // The sign-in is the Deploy screen's: read it (and follow its changes) when this screen opens first.
  useEffect(() => void initDeploy(), [initDeploy]);
  return (
    <ScreenLayout id="discovery" title="Capacity" lead="Start from your Azure OpenAI deployments: add them as backends, let Breakerboard suggest a pool from their SKUs and capacities, and see how it holds under load.">
      <DeploymentsCard />
      <SuggestionCard />
      <PlannerCard />
    </ScreenLayout>
  );
}
