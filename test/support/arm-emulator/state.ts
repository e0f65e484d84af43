/*
 * The emulator's in-memory ARM world: subscriptions, resource groups, APIM services and, per service, the
 * resources the deploy client touches (backends, named values, APIs and their policies). Every write bumps an
 * ETag, as APIM does, so If-Match can be checked.
 */

export type Props = Record<string, unknown>;

export interface Entity {
  properties: Props;
  etag: string;
}

export interface ApiEntity extends Entity {
  policy?: Entity;
  /** The API's operations (as the portal's Azure OpenAI template creates them), by operation id. */
  operations?: Map<string, Props>;
}

export interface ServiceState {
  subscription: string;
  resourceGroup: string;
  name: string;
  location: string;
  /** `sku.name` as ARM answers it (Consumption has no circuit breaker). */
  sku: string;
  backends: Map<string, Entity>;
  /** Named values keep their value here; GET never returns it for secrets (listValue does). */
  namedValues: Map<string, Entity>;
  apis: Map<string, ApiEntity>;
}

export interface Subscription {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
}

/** A deep, JSON-only copy: the emulator never shares objects with callers. */
export const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

export class ArmState {
  readonly subscriptions: Subscription[] = [];
  readonly resourceGroups = new Map<string, string[]>();
  readonly services: ServiceState[] = [];
  private counter = 0;

  /** `"AAAAAAAAAAE="`-like quoted values, as APIM sends them. */
  nextEtag(): string {
    this.counter += 1;
    return `"${Buffer.from(`etag-${this.counter}`).toString('base64')}"`;
  }

  addSubscription(subscriptionId: string, displayName = `Subscription ${this.subscriptions.length + 1}`): Subscription {
    const existing = this.subscriptions.find((s) => s.subscriptionId === subscriptionId);
    if (existing) return existing;
    const sub = { subscriptionId, displayName, tenantId: '72f988bf-0000-0000-0000-000000000000' };
    this.subscriptions.push(sub);
    return sub;
  }

  addResourceGroup(subscription: string, name: string): void {
    this.addSubscription(subscription);
    const list = this.resourceGroups.get(subscription) ?? [];
    if (!list.some((n) => n.toLowerCase() === name.toLowerCase())) list.push(name);
    this.resourceGroups.set(subscription, list);
  }

  addService(subscription: string, resourceGroup: string, name: string, location = 'eastus'): ServiceState {
    this.addResourceGroup(subscription, resourceGroup);
    const found = this.findService(subscription, resourceGroup, name);
    if (found) return found;
    const svc: ServiceState = { subscription, resourceGroup, name, location, sku: 'Developer', backends: new Map(), namedValues: new Map(), apis: new Map() };
    this.services.push(svc);
    return svc;
  }

  /** ARM names are case-insensitive. */
  findService(subscription: string, resourceGroup: string, name: string): ServiceState | undefined {
    const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    return this.services.find((s) => eq(s.subscription, subscription) && eq(s.resourceGroup, resourceGroup) && eq(s.name, name));
  }

  /** Seeds an API (the client never creates APIs: the user does, with the portal or Bicep). */
  addApi(svc: ServiceState, id: string, props: Props = {}, policyXml?: string): ApiEntity {
    const api: ApiEntity = { properties: { displayName: id, path: id, protocols: ['https'], ...clone(props) }, etag: this.nextEtag() };
    if (policyXml !== undefined) api.policy = { properties: { value: policyXml, format: 'xml' }, etag: this.nextEtag() };
    svc.apis.set(id, api);
    return api;
  }

  /** Seeds an operation of an API (`method`, `urlTemplate`, `displayName`). */
  addOperation(svc: ServiceState, apiId: string, id: string, props: Props): void {
    const api = svc.apis.get(apiId);
    if (!api) throw new Error(`no api ${apiId}`);
    (api.operations ??= new Map()).set(id, { displayName: id, ...clone(props) });
  }

  /** Seeds or replaces a resource out of band, as a colleague in the portal would; the ETag changes. */
  putBackend(svc: ServiceState, id: string, properties: Props): Entity {
    const e = { properties: clone(properties), etag: this.nextEtag() };
    svc.backends.set(id, e);
    return e;
  }

  putNamedValue(svc: ServiceState, id: string, properties: Props): Entity {
    const e = { properties: { displayName: id, secret: false, ...clone(properties) }, etag: this.nextEtag() };
    svc.namedValues.set(id, e);
    return e;
  }

  putPolicy(svc: ServiceState, apiId: string, xml: string): Entity {
    const api = svc.apis.get(apiId);
    if (!api) throw new Error(`no api ${apiId}`);
    api.policy = { properties: { value: xml, format: 'xml' }, etag: this.nextEtag() };
    return api.policy;
  }

  /**
   * Everything a service holds, values included, ETags excluded: two snapshots are equal when the service
   * content is the same (a rollback restores content; the ETags move on, as in APIM).
   */
  snapshot(svc: ServiceState): Props {
    const plain = (m: Map<string, Entity>) => Object.fromEntries([...m].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, clone(v.properties)]));
    return {
      backends: plain(svc.backends),
      namedValues: plain(svc.namedValues),
      apis: Object.fromEntries([...svc.apis].map(([k, v]) => [k, { properties: clone(v.properties), policy: clone(v.policy?.properties) }])),
    };
  }
}
