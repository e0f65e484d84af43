import { applyPlan, buildPlan, connect, staticTokenCredential, type ArmConnection } from '../../../main/apim';
import type { ResolvedTarget } from '../../../main/apim/session';
import type { SecretSource } from '../../../main/secrets/secret-source';
import { parseWorkspaceText, validateWorkspace, type Workspace } from '../../../shared/model';
import { DEMO_WORKSPACE_YAML } from '../../../shared/model/demo';
import { startArmEmulator, type ArmEmulator, type ArmEmulatorOptions } from './index';

/*
 * The usual deploy-test setup: an emulator with one empty APIM service and the `azure-openai` API the demo
 * wires, a client through the real SDK with short retries, and the demo's secrets.
 */

export const SUB = '11111111-2222-3333-4444-555555555555';
export const RG = 'rg-ai';
export const SVC = 'my-apim';
export const TOKEN = 'test-token';
export const SECRET_VALUES: Record<string, string> = {
  'aoai-eastus-key': 'sk-EASTUS-0123456789abcdef',
  'aoai-uksouth-key': 'sk-UKSOUTH-fedcba9876543210',
};

export const secretsFrom = (values: Record<string, string>): SecretSource => ({ get: (n) => values[n] });
export const demoSecrets = () => secretsFrom(SECRET_VALUES);

export function demoWorkspace(edit?: (ws: Workspace) => void): Workspace {
  const parsed = parseWorkspaceText(DEMO_WORKSPACE_YAML);
  if (!parsed.ok) throw new Error('demo does not parse');
  const r = validateWorkspace(parsed.value);
  if (!r.ok) throw new Error(`demo does not validate: ${JSON.stringify(r.errors)}`);
  edit?.(r.workspace);
  return r.workspace;
}

export interface DeployFixture {
  em: ArmEmulator;
  conn: ArmConnection;
  target: ResolvedTarget;
  svc: ArmEmulator['state']['services'][number];
}

export async function startDeployFixture(opts: ArmEmulatorOptions & { apis?: string[] } = {}): Promise<DeployFixture> {
  const em = await startArmEmulator({ token: TOKEN, seed: { subscription: SUB, resourceGroup: RG, service: SVC }, ...opts });
  const svc = em.state.services[0]!;
  for (const api of opts.apis ?? ['azure-openai']) em.state.addApi(svc, api, { path: api === 'azure-openai' ? 'openai' : api });
  const conn = connect(SUB, { credential: staticTokenCredential(TOKEN), endpoint: em.url, retry: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 } });
  return { em, conn, target: { subscription: SUB, resourceGroup: RG, service: SVC, endpoint: em.url }, svc };
}

/** A fixture whose service already holds the demo workspace (applied through the real SDK), for tests of a second apply. */
export async function startDemoDeployed(): Promise<DeployFixture> {
  const f = await startDeployFixture();
  const secrets = demoSecrets();
  const demo = await applyPlan(f.conn, f.target, await buildPlan(f.conn, f.target, demoWorkspace(), { secrets }), { secrets });
  if (!demo.ok) throw new Error(`the demo apply failed: ${demo.message}`);
  return f;
}
