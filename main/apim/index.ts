export { applyPlan, checkPlanTarget, type ApplyOptions } from './apply';
export { checkEndpoint, connect, DEFAULT_ENDPOINT, type ApimTarget, type ArmConnection, type ClientOptions, type RetrySettings } from './client';
export { signInCredential, staticTokenCredential, type Interactive, type SignInOptions } from './credential';
export { listApis, listResourceGroups, listServices, listSubscriptions, type ApiInfo, type ServiceInfo, type SubscriptionInfo } from './discovery';
export { ApimError, AZURE_CLI_NOT_FOUND, describeArmError, describeSignInError, type ApimErrorCode } from './errors';
export { importService, type ImportResult } from './import';
export { buildPlan, type PlanOptions } from './plan';
export { secretRedactor, type Redact } from './redact';
export { openSession, resolveTarget, type ResolvedTarget, type SessionOptions, type TargetFlags } from './session';
