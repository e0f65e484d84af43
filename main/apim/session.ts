import type { Target } from '../../shared/model';
import { connect, DEFAULT_ENDPOINT, type ApimTarget, type ArmConnection, type RetrySettings } from './client';
import { signInCredential, type Interactive } from './credential';
import { ApimError } from './errors';

/*
 * Where a deploy command goes: flags first, then the workspace's `target:`, then the defaults. Used by the CLI
 * and (later) the desktop app, so both resolve targets and sign in the same way.
 */

export interface TargetFlags {
  subscription?: string;
  resourceGroup?: string;
  service?: string;
  endpoint?: string;
  tenant?: string;
}

export interface ResolvedTarget extends ApimTarget {
  endpoint: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function resolveTarget(flags: TargetFlags, fromWorkspace?: Target): ResolvedTarget {
  const subscription = flags.subscription ?? fromWorkspace?.subscription;
  const resourceGroup = flags.resourceGroup ?? fromWorkspace?.resourceGroup;
  const service = flags.service ?? fromWorkspace?.service;
  const missing = [!subscription && '--subscription', !resourceGroup && '--resource-group', !service && '--service'].filter(Boolean);
  if (missing.length > 0) {
    throw new ApimError(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} required (or set target: in the workspace)`, 'usage');
  }
  if (!GUID.test(subscription!)) throw new ApimError(`--subscription: "${subscription}" is not a subscription id (a GUID)`, 'input');
  return { subscription: subscription!, resourceGroup: resourceGroup!, service: service!, endpoint: flags.endpoint ?? fromWorkspace?.endpoint ?? DEFAULT_ENDPOINT };
}

export interface SessionOptions {
  env: NodeJS.ProcessEnv;
  tenant?: string;
  interactive?: Interactive;
  onDeviceCode?: (message: string) => void;
  retry?: RetrySettings;
}

/** Signs in (lazily: the first request asks for the token) and connects to the target's endpoint. */
export function openSession(target: ResolvedTarget, opts: SessionOptions): ArmConnection {
  const credential = signInCredential({ env: opts.env, tenantId: opts.tenant, interactive: opts.interactive, onDeviceCode: opts.onDeviceCode });
  return connect(target.subscription, { credential, endpoint: target.endpoint, retry: opts.retry });
}
