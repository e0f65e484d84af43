import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SpecError, SpecVersion } from './apim-spec';

/*
 * The fallback body check where the REST spec is absent (a user's clone): the serialization model of the official
 * SDK, `@azure/arm-apimanagement` 10 (api-version 2024-05-01), which every install has. Its mappers are generated
 * from the same spec and keep the types, required fields, lengths, ranges, item counts, patterns and closed enums;
 * the values of extensible enums (`protocol: http|soap`, `type: Single|Pool`, policy `format`) come from the SDK's
 * `Known…` enums, matched to fields through its typings. Errors are worded as ajv words them, so a test reads the
 * same with either source.
 */

interface MapperType {
  name: string;
  className?: string;
  modelProperties?: Record<string, Mapper>;
  element?: Mapper;
  value?: Mapper;
  allowedValues?: unknown[];
  additionalProperties?: unknown;
}
interface Mapper {
  /** The values of the SDK's `Known…` enum for this field (extensible enums: the mapper says only String). */
  knownValues?: unknown[];
  serializedName?: string;
  required?: boolean;
  readOnly?: boolean;
  constraints?: Record<string, number | string | RegExp>;
  type: MapperType;
}

const require = createRequire(import.meta.url);
// The package's `exports` offer only its entry point; the mappers and typings are loaded from beside it.
const entry = require.resolve('@azure/arm-apimanagement');
const mappers = require(join(dirname(entry), 'models', 'mappers.js')) as Record<string, Mapper>;
const sdk = require('@azure/arm-apimanagement') as Record<string, unknown>;

/*
 * Extensible enums (`protocol: BackendProtocol`) are plain strings in the mappers; the typings name the type and the
 * SDK exports its values as `KnownBackendProtocol`. Field types are read from the typings once: interface → field →
 * type name (`[]` for a list), with the interfaces each one extends.
 */
const fieldTypes = new Map<string, { bases: string[]; fields: Map<string, string> }>();
{
  const dts = readFileSync(join(dirname(entry), 'models', 'index.d.ts'), 'utf8');
  for (const m of dts.matchAll(/^export interface (\w+)(?: extends ([\w, ]+))? \{\n([\s\S]*?)^\}/gm)) {
    const fields = new Map<string, string>();
    for (const f of m[3]!.matchAll(/^ {4}(\w+)\??: (\w+(?:\[\])?);$/gm)) fields.set(f[1]!, f[2]!);
    fieldTypes.set(m[1]!, { bases: (m[2] ?? '').split(',').map((b) => b.trim()).filter(Boolean), fields });
  }
}

function knownValues(className: string | undefined, field: string, depth = 0): { values: unknown[]; list: boolean } | undefined {
  const t = className ? fieldTypes.get(className) : undefined;
  if (!t || depth > 10) return undefined;
  const type = t.fields.get(field);
  if (type === undefined) {
    for (const b of t.bases) {
      const found = knownValues(b, field, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const known = sdk[`Known${type.replace(/\[\]$/, '')}`];
  return known && typeof known === 'object' ? { values: Object.values(known), list: type.endsWith('[]') } : undefined;
}

export const SDK_MODEL_SOURCE = `the serialization model of @azure/arm-apimanagement (${join(dirname(entry), 'models', 'mappers.js')})`;

/**
 * The wire shape of a spec definition: the SDK's model of the same name, or — where the SDK flattened the spec's
 * `XxxProperties` into `Xxx` (`PolicyContractProperties` → `PolicyContract`'s `properties.value`, `properties.format`)
 * — the `properties` part of that model.
 */
function definition(name: string): WireNode | undefined {
  const mapper = mappers[name];
  if (mapper?.type.name === 'Composite') return wireShape(mapper.type);
  const flattened = name.endsWith('Properties') ? mappers[name.slice(0, -'Properties'.length)] : undefined;
  const part = flattened?.type.name === 'Composite' ? wireShape(flattened.type).props.get('properties') : undefined;
  return part && isNode(part) ? part : undefined;
}

const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The wire shape of a composite: serialized names, with flattened ones (`properties.title`) nested. */
interface WireNode {
  props: Map<string, Mapper | WireNode>;
  open: boolean;
  className?: string;
}

/*
 * The backend fields 2025-03-01-preview adds (their names from that spec; the SDK has no preview model). At the
 * preview version they are known, so not refused as unknown, but their values go unchecked: the full spec checks them.
 */
const PREVIEW_FIELDS: Record<string, string[]> = {
  BackendBaseParameters: ['azureRegion'],
  CircuitBreakerRule: ['failureResponse'],
  BackendPool: ['failureResponse', 'sessionAffinity'],
  BackendPoolItem: ['preferredCarbonEmission'],
};

function previewField(className: string | undefined, field: string, depth = 0): boolean {
  if (!className || depth > 10) return false;
  if (PREVIEW_FIELDS[className]?.includes(field)) return true;
  return (fieldTypes.get(className)?.bases ?? []).some((b) => previewField(b, field, depth + 1));
}

function wireShape(type: MapperType): WireNode {
  const model = type.modelProperties ?? (type.className ? mappers[type.className]?.type.modelProperties : undefined) ?? {};
  const root: WireNode = { props: new Map(), open: Boolean(type.additionalProperties ?? (type.className && mappers[type.className]?.type.additionalProperties)), className: type.className };
  const className = type.className;
  for (const [field, mapper] of Object.entries(model)) {
    if (!mapper.serializedName) continue;
    const known = knownValues(className, field);
    const m: Mapper = !known ? mapper : known.list && mapper.type.element ? { ...mapper, type: { ...mapper.type, element: { ...mapper.type.element, knownValues: known.values } } } : { ...mapper, knownValues: known.values };
    const parts = m.serializedName!.split(/(?<!\\)\./).map((p) => p.replaceAll('\\.', '.'));
    let node = root;
    for (const part of parts.slice(0, -1)) {
      let next = node.props.get(part);
      if (!next || !('props' in next)) node.props.set(part, (next = { props: new Map(), open: false }));
      node = next;
    }
    node.props.set(parts[parts.length - 1]!, m);
  }
  return root;
}

const isNode = (x: Mapper | WireNode): x is WireNode => 'props' in x;

function checkNode(node: WireNode, value: unknown, path: string, out: SpecError[], version: SpecVersion): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return void out.push({ path: path || '/', message: 'must be object' });
  const obj = value as Record<string, unknown>;
  for (const [name, m] of node.props) {
    if (!isNode(m) && m.required && !m.readOnly && obj[name] === undefined) out.push({ path: path || '/', message: `must have required property '${name}'` });
  }
  for (const [k, v] of Object.entries(obj)) {
    const m = node.props.get(k);
    if (!m) {
      const known = node.open || (version === '2025-03-01-preview' && previewField(node.className, k));
      if (!known) out.push({ path: path || '/', message: `unknown property ${k}`, unknown: `${path}/${k}` });
    } else if (isNode(m)) checkNode(m, v, `${path}/${k}`, out, version);
    else if (v !== undefined) checkValue(m, v, `${path}/${k}`, out, version);
  }
}

function checkConstraints(c: Record<string, number | string | RegExp>, v: unknown, at: string, out: SpecError[]): void {
  const say = (message: string) => out.push({ path: at, message });
  if (typeof v === 'string') {
    if (typeof c.MaxLength === 'number' && v.length > c.MaxLength) say(`must NOT have more than ${c.MaxLength} characters`);
    if (typeof c.MinLength === 'number' && v.length < c.MinLength) say(`must NOT have fewer than ${c.MinLength} characters`);
    const pattern = c.Pattern instanceof RegExp ? c.Pattern : c.Pattern !== undefined ? new RegExp(String(c.Pattern)) : undefined;
    if (pattern && !pattern.test(v)) say(`must match pattern "${pattern.source}"`);
  }
  if (typeof v === 'number') {
    if (typeof c.InclusiveMaximum === 'number' && v > c.InclusiveMaximum) say(`must be <= ${c.InclusiveMaximum}`);
    if (typeof c.InclusiveMinimum === 'number' && v < c.InclusiveMinimum) say(`must be >= ${c.InclusiveMinimum}`);
    if (typeof c.ExclusiveMaximum === 'number' && v >= c.ExclusiveMaximum) say(`must be < ${c.ExclusiveMaximum}`);
    if (typeof c.ExclusiveMinimum === 'number' && v <= c.ExclusiveMinimum) say(`must be > ${c.ExclusiveMinimum}`);
  }
  if (Array.isArray(v)) {
    if (typeof c.MaxItems === 'number' && v.length > c.MaxItems) say(`must NOT have more than ${c.MaxItems} items`);
    if (typeof c.MinItems === 'number' && v.length < c.MinItems) say(`must NOT have fewer than ${c.MinItems} items`);
  }
}

function checkValue(m: Mapper, v: unknown, at: string, out: SpecError[], version: SpecVersion): void {
  const t = m.type;
  const kind = (want: string, ok: boolean) => {
    if (!ok) out.push({ path: at, message: `must be ${want}` });
    return ok;
  };
  switch (t.name) {
    case 'String':
      if (!kind('string', typeof v === 'string')) return;
      if (m.knownValues && !m.knownValues.includes(v)) return void out.push({ path: at, message: 'must be equal to one of the allowed values' });
      break;
    case 'Number':
      if (!kind('number', typeof v === 'number' && Number.isFinite(v))) return;
      break;
    case 'Boolean':
      if (!kind('boolean', typeof v === 'boolean')) return;
      break;
    case 'TimeSpan':
      if (kind('string', typeof v === 'string') && !DURATION.test(v as string)) out.push({ path: at, message: 'must match format "duration"' });
      return;
    case 'DateTime':
      if (kind('string', typeof v === 'string') && Number.isNaN(Date.parse(v as string))) out.push({ path: at, message: 'must match format "date-time"' });
      return;
    case 'Uuid':
      if (kind('string', typeof v === 'string') && !UUID.test(v as string)) out.push({ path: at, message: 'must match format "uuid"' });
      return;
    case 'Enum':
      if (!t.allowedValues?.includes(v)) out.push({ path: at, message: 'must be equal to one of the allowed values' });
      return;
    case 'Sequence':
      if (!kind('array', Array.isArray(v))) return;
      (v as unknown[]).forEach((item, i) => t.element && checkValue(t.element, item, `${at}/${i}`, out, version));
      break;
    case 'Dictionary':
      if (!kind('object', v !== null && typeof v === 'object' && !Array.isArray(v))) return;
      for (const [k, item] of Object.entries(v as object)) if (t.value) checkValue(t.value, item, `${at}/${k}`, out, version);
      return;
    case 'Composite':
      return checkNode(wireShape(t), v, at, out, version);
    default:
      return; // 'any', 'Object', streams: anything goes
  }
  if (m.constraints) checkConstraints(m.constraints, v, at, out);
}

/**
 * Validates a wire body against the SDK's model of `name`; an empty list means it conforms. The SDK models
 * 2024-05-01; at 2025-03-01-preview the preview's backend fields are known too (PREVIEW_FIELDS).
 */
export function validateAgainstSdkModel(name: string, value: unknown, version: SpecVersion = '2024-05-01'): SpecError[] {
  const node = definition(name);
  if (!node) throw new Error(`no model ${name} in @azure/arm-apimanagement`);
  const out: SpecError[] = [];
  checkNode(node, value, '', out, version);
  return out;
}
