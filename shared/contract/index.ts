import { apimService, type ApimService } from './apim';
import { appService, type AppService } from './app';
import { deployedService, type DeployedService } from './deployed';
import type { ServiceSpec } from './define';
import { discoveryService, type DiscoveryService } from './discovery';
import { gatewayService, simulatorService, type GatewayService, type SimulatorService } from './gateway';
import { loadService, type LoadService } from './load';
import { secretsService, type SecretsService } from './secrets';
import { workspaceService, type WorkspaceService } from './workspace';

export * from './apim';
export * from './app';
export * from './csp';
export * from './define';
export * from './discovery';
export * from './deployed';
export * from './envelope';
export * from './gateway';
export * from './load';
export * from './secrets';
export * from './workspace';

/** Every service the renderer can reach. Adding one here wires it in IPC, HTTP and the preload at once. */
export const contract = {
  workspace: workspaceService,
  secrets: secretsService,
  app: appService,
  gateway: gatewayService,
  simulator: simulatorService,
  load: loadService,
  apim: apimService,
  discovery: discoveryService,
  deployed: deployedService,
} as const satisfies Record<string, ServiceSpec>;

export type Contract = typeof contract;
export type ServiceName = keyof Contract;

/** The renderer's one api object, and what the main side implements. */
export interface Api {
  workspace: WorkspaceService;
  secrets: SecretsService;
  app: AppService;
  gateway: GatewayService;
  simulator: SimulatorService;
  load: LoadService;
  apim: ApimService;
  discovery: DiscoveryService;
  deployed: DeployedService;
}

export const serviceNames = Object.keys(contract) as ServiceName[];

/** `workspace.save`, `workspace.changed`: the one naming scheme every transport uses. */
export const channelName = (service: string, member: string) => `${service}.${member}`;

export interface MethodEntry {
  service: ServiceName;
  method: string;
  channel: string;
}
export interface EventEntry {
  service: ServiceName;
  event: string;
  channel: string;
}

export const contractMethods: MethodEntry[] = serviceNames.flatMap((service) =>
  Object.keys(contract[service].methods).map((method) => ({ service, method, channel: channelName(service, method) })),
);
export const contractEvents: EventEntry[] = serviceNames.flatMap((service) =>
  Object.keys(contract[service].events).map((event) => ({ service, event, channel: channelName(service, event) })),
);
export * from './bridge';
export * from './stable-json';

/** The Electron IPC channel of a method or event: prefixed so nothing else on ipcMain can collide with it. */
export const IPC_PREFIX = 'breakerboard:';
export const ipcChannel = (service: string, member: string) => `${IPC_PREFIX}${channelName(service, member)}`;
