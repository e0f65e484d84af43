import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDuration } from '../../shared/model/duration';
import { SDK_MODEL_SOURCE, validateAgainstSdkModel } from './apim-sdk-model';

/*
 * Request bodies are checked against the official APIM REST spec (2024-05-01, and the backend definitions of
 * 2025-03-01-preview), read from APIM_SPEC_DIR (default ../shared/apim-spec beside the checkout; never copied into
 * the project), with ajv. Where that folder is absent — a user's fresh clone — they are checked against the SDK's
 * 2024-05-01 serialization model instead (apim-sdk-model.ts: the same types, required fields, limits and enum
 * values), so no suite skips. In CI (`CI=true`) the spec must be there: a missing spec fails every suite that
 * checks bodies instead of falling back.
 */

export const APIM_SPEC_DIR = resolve(process.env.APIM_SPEC_DIR ?? join(process.cwd(), '..', 'shared', 'apim-spec'));
const DEFINITIONS = join(APIM_SPEC_DIR, '2024-05-01', 'definitions.json');
/** The preview's backend definitions (an extract); everything else resolves to 2024-05-01's. */
const PREVIEW_DEFINITIONS = join(APIM_SPEC_DIR, '2025-03-01-preview', 'definitions.backend-extract.json');
export type SpecVersion = '2024-05-01' | '2025-03-01-preview';

export type SpecSource = 'rest-spec' | 'sdk-model';

/** Which check bodies get; throws in CI when the spec is missing (CI always has it: a missing one is a broken setup). */
export function chooseSpecSource(specPresent: boolean, ci: boolean): SpecSource {
  if (specPresent) return 'rest-spec';
  if (ci) throw new Error(`CI needs the APIM REST spec: ${DEFINITIONS} not found (set APIM_SPEC_DIR to the folder holding 2024-05-01/definitions.json)`);
  return 'sdk-model';
}

const isCi = (v: string | undefined) => v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';

export const apimSpecSource: SpecSource = chooseSpecSource(existsSync(DEFINITIONS), isCi(process.env.CI));

/** One line for a suite to print: what its bodies are checked against. */
export const apimSpecNote =
  apimSpecSource === 'rest-spec'
    ? `bodies checked against the APIM REST spec at ${DEFINITIONS}`
    : `APIM REST spec not found at ${DEFINITIONS}: bodies checked against ${SDK_MODEL_SOURCE} (set APIM_SPEC_DIR for the full spec)`;

/**
 * Why bodies cannot be checked at all — never, now that the SDK model stands in for a missing spec. Kept for the
 * suites that `describe.skipIf(Boolean(apimSpecMissing))`: they run everywhere.
 */
export const apimSpecMissing: string | undefined = undefined;

type Json = Record<string, unknown>;

/** External references (common-types, apimanagement.json) are not in the folder: they become open schemas. */
function localOnly(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(localOnly);
  if (node && typeof node === 'object') {
    const obj = node as Json;
    if (typeof obj.$ref === 'string' && !obj.$ref.startsWith('#/')) return {};
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, localOnly(v)]));
  }
  return node;
}

const refName = (ref: unknown) => (typeof ref === 'string' ? ref.replace(/^(apim)?#\/definitions\//, '') : undefined);

/** Property schemas a definition allows: its own and those of its `allOf` bases. */
function allowedProperties(def: Json | undefined, definitions: Record<string, Json>): Record<string, Json> {
  if (!def) return {};
  let props: Record<string, Json> = { ...((def.properties as Record<string, Json> | undefined) ?? {}) };
  for (const base of (def.allOf as Json[] | undefined) ?? []) {
    const name = refName(base.$ref);
    props = { ...props, ...allowedProperties(name ? definitions[name] : base, definitions) };
  }
  return props;
}

/**
 * The spec leaves objects open; the service rejects or drops what it does not know. Fields the spec does not name
 * are reported, so a misspelt or invented field fails a test instead of passing silently.
 */
function unknownProperties(schema: Json | undefined, value: unknown, path: string, out: SpecError[], definitions: Record<string, Json>): void {
  if (!schema || value === null || typeof value !== 'object') return;
  const name = refName(schema.$ref);
  const def = name ? definitions[name] : schema;
  if (!def) return;
  if (Array.isArray(value)) {
    value.forEach((v, i) => unknownProperties(def.items as Json | undefined, v, `${path}/${i}`, out, definitions));
    return;
  }
  if (def.additionalProperties && typeof def.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(value)) unknownProperties(def.additionalProperties as Json, v, `${path}/${k}`, out, definitions);
    return;
  }
  const allowed = allowedProperties(def, definitions);
  if (Object.keys(allowed).length === 0) return;
  for (const [k, v] of Object.entries(value)) {
    if (!(k in allowed)) out.push({ path: path || '/', message: `unknown property ${k}`, unknown: `${path}/${k}` });
    else unknownProperties(allowed[k], v, `${path}/${k}`, out, definitions);
  }
}

interface Loaded {
  ajv: Ajv;
  definitions: Record<string, Json>;
  compiled: Map<string, ValidateFunction>;
}
const loaded = new Map<SpecVersion, Loaded>();

function readDefinitions(file: string): Record<string, Json> {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { definitions: Record<string, Json> };
  return extensibleEnums(JSON.parse(JSON.stringify(localOnly(raw.definitions)).replaceAll('"#/definitions/', '"apim#/definitions/'))) as Record<string, Json>;
}

/**
 * An enum marked `x-ms-enum.modelAsString` is not a closed set (AutoRest: clients must accept other values). The
 * service keeps the spelling it was given (Learn's pool example writes `"source": "Cookie"` where the enum says
 * `cookie`), so such an enum accepts its values in any case here; other values are still refused.
 */
function extensibleEnums(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(extensibleEnums);
  if (node === null || typeof node !== 'object') return node;
  const o = Object.fromEntries(Object.entries(node).map(([k, v]) => [k, extensibleEnums(v)])) as Record<string, unknown>;
  const xms = o['x-ms-enum'] as { modelAsString?: boolean } | undefined;
  if (Array.isArray(o.enum) && xms?.modelAsString === true && o.enum.every((v) => typeof v === 'string')) {
    const anyCase = (v: string) => [...v].map((c) => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
    o.pattern = `^(${(o.enum as string[]).map(anyCase).join('|')})$`;
    delete o.enum;
  }
  return o;
}

function load(version: SpecVersion): Loaded {
  const done = loaded.get(version);
  if (done) return done;
  const definitions = { ...readDefinitions(DEFINITIONS), ...(version === '2025-03-01-preview' ? readDefinitions(PREVIEW_DEFINITIONS) : {}) };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  ajv.addKeyword({ keyword: 'x-ms-enum' });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('duration', (s: string) => /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(s) && (parseDuration(s).ok || /[YM]/.test(s.split('T')[0] ?? '')));
  ajv.addFormat('arm-id', (s: string) => /^\/(subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.ApiManagement\/service\/[^/]+\/)?backends\/[^/]+$/i.test(s) || /^\[resourceId\(/.test(s));
  ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
  ajv.addSchema({ $id: 'apim', definitions }, 'apim');
  const out = { ajv, definitions, compiled: new Map<string, ValidateFunction>() };
  loaded.set(version, out);
  return out;
}

export interface SpecError {
  path: string;
  message: string;
  /** For a field the spec does not name: its JSON pointer (`/credentials/managedIdentity`). */
  unknown?: string;
}

/** Validates `value` against `definitions/<name>` (or the SDK's model of it); an empty list means it conforms. */
export function validateAgainstSpec(name: string, value: unknown, version: SpecVersion = '2024-05-01'): SpecError[] {
  return apimSpecSource === 'rest-spec' ? validateAgainstRestSpec(name, value, version) : validateAgainstSdkModel(name, value, version);
}

/** The REST spec's verdict, whatever the active source (throws where the spec is absent). */
export function validateAgainstRestSpec(name: string, value: unknown, version: SpecVersion = '2024-05-01'): SpecError[] {
  const { ajv, definitions, compiled } = load(version);
  if (!definitions[name]) throw new Error(`no definition ${name} in the APIM spec`);
  let fn = compiled.get(name);
  if (!fn) {
    fn = ajv.compile({ $ref: `apim#/definitions/${name}` });
    compiled.set(name, fn);
  }
  const errors: SpecError[] = fn(value) ? [] : (fn.errors ?? []).map((e: ErrorObject) => ({ path: e.instancePath || '/', message: e.message ?? e.keyword }));
  unknownProperties({ $ref: name }, value, '', errors, definitions);
  return errors;
}

/**
 * Backend `properties` as the service judges them: the spec's `required: [url, protocol]` is wrong for pools
 * (APIM-SEMANTICS §3: the service rejects url/protocol on a pool), so pools are checked without that rule and
 * must not carry either field.
 */
export function validateBackendProperties(props: Json, version: SpecVersion = '2024-05-01'): SpecError[] {
  if (props.type !== 'Pool') return validateAgainstSpec('BackendContractProperties', props, version);
  const errors = validateAgainstSpec('BackendContractProperties', props, version).filter(
    (e) => !(e.path === '/' && /required property '(url|protocol)'/.test(e.message)),
  );
  if ('url' in props) errors.push({ path: '/url', message: 'Url is not supported for backend pool.' });
  if ('protocol' in props) errors.push({ path: '/protocol', message: 'Protocol is not supported for backend pool.' });
  return errors;
}
