import type { Api, SimulatorService } from '../../shared/contract';
import { startGateway } from '../gateway';
import { startSimulators } from '../simulator';
import { createDeployedService, type DeployedServiceImpl } from '../apim/deployed';
import { createApimService, type ApimServiceImpl } from './apim-service';
import { createAppService, type AppServiceImpl } from './app-service';
import { createDiscoveryService } from './discovery-service';
import { createGatewayService, type GatewayServiceDeps, type GatewayServiceImpl } from './gateway-service';
import { createEmitter } from './emitter';
import { createLoadService, type LoadServiceImpl } from './load-service';
import type { RecentWorkspaceMemory } from './recent-workspace';
import type { SecretStore } from './secret-store';
import { createSecretsService, referencedSecretNames, type SecretsServiceImpl } from './secrets-service';
import { createWorkspaceService, type FileDialogs, type WorkspaceServiceImpl } from './workspace-service';

/** The composition both hosts share: the desktop shell and `serve` differ only in what they pass in. */
export interface CoreServiceOptions {
  platform: 'electron' | 'serve';
  version: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  secretStore: SecretStore;
  dialogs?: FileDialogs;
  memory?: RecentWorkspaceMemory;
  /** The engines behind the gateway service; tests pass fakes. Default: main/gateway and main/simulator. */
  engines?: Pick<GatewayServiceDeps, 'startGateway' | 'startSimulators'>;
}

export interface CoreServices extends Api {
  workspace: WorkspaceServiceImpl;
  secrets: SecretsServiceImpl;
  app: AppServiceImpl;
  gateway: GatewayServiceImpl;
  simulator: SimulatorService;
  load: LoadServiceImpl;
  apim: ApimServiceImpl;
  deployed: DeployedServiceImpl;
  /** Stops what runs (the gateway and simulators): call before exit. */
  dispose(): Promise<void>;
}

export function createCoreServices(opts: CoreServiceOptions): CoreServices {
  const workspace = createWorkspaceService({ cwd: opts.cwd, dialogs: opts.dialogs, memory: opts.memory });
  const secrets = createSecretsService({ store: opts.secretStore, env: opts.env, referenced: () => referencedSecretNames(workspace.value()) });
  const apim = createApimService({ secrets: secrets.source, workspace });
  const app = createAppService({
    name: 'Breakerboard',
    version: opts.version,
    platform: opts.platform,
    nativeDialogs: opts.dialogs !== undefined,
    cwd: opts.platform === 'serve' ? opts.cwd : null,
  });
  const gateway = createGatewayService({
    startGateway: opts.engines?.startGateway ?? startGateway,
    startSimulators: opts.engines?.startSimulators ?? startSimulators,
    secrets: secrets.source,
    workspace,
  });
  const load = createLoadService({
    gateway,
    simulator: gateway.simulator,
    workspace,
    cwd: opts.cwd,
    startGateway: opts.engines?.startGateway ?? startGateway,
    startSimulators: opts.engines?.startSimulators ?? startSimulators,
  });
  const deployed = createDeployedService({
    session: () => apim.armSession(),
    workspace,
    // Sovereign clouds (e.g. https://api.loganalytics.azure.cn/v1); default the public cloud's.
    logsEndpoint: opts.env.BREAKERBOARD_LOGS_ENDPOINT,
    startGateway: opts.engines?.startGateway ?? startGateway,
    startSimulators: opts.engines?.startSimulators ?? startSimulators,
    emitter: createEmitter(),
  });
  // A running load or drill ends before the gateway it sends to.
  const dispose = async () => {
    await deployed.dispose();
    await load.dispose();
    await gateway.dispose();
  };
  const discovery = createDiscoveryService({ apim, workspace });
  return { workspace, secrets, app, apim, deployed, gateway, simulator: gateway.simulator, load, discovery, dispose };
}
