// Pulumi's ResourceProvider messages as the plugin reads and writes them: the requests decoded
// into plain objects (property values as JavaScript values, secrets and unknowns still in their
// wire form), the answers encoded from plain objects. Transport, like unary-server.ts beside it;
// the plugin's adapter (front/plugin/) speaks in decoded values.
//
// Not google-protobuf and @pulumi/pulumi's generated stubs: loading them (every message of every
// Pulumi service, about 15,000 lines) was a tenth of a serving process's start on the way to
// every preview (docs/plugin.md, "Start-up"), and the plugin reads and writes a dozen messages.
// Each field below has the number and type provider.proto gives it; test/plugin/messages.test.ts
// holds every message to the generated stubs both ways (what they write, this reads; what this
// writes, they read).
import type { Loose } from "../../core/declare";
import { plain } from "../../core/json";
import { methodPath, PROVIDER_METHODS, type ProviderMethodName } from "./methods";
import { decoder, structBytes, Writer, type Message } from "./protobuf";

// provider.proto's requests, the fields the plugin reads.
const CHECK = { urn: [1, "string"], olds: [2, "struct"], news: [3, "struct"], name: [6, "string"], type: [7, "string"] } as const;
const DIFF = { id: [1, "string"], urn: [2, "string"], olds: [3, "struct"], news: [4, "struct"], ignoreChanges: [5, "strings"], oldInputs: [6, "struct"], name: [7, "string"], type: [8, "string"] } as const;
const CONFIGURE = { variables: [1, "stringMap"], args: [2, "struct"], acceptSecrets: [3, "bool"], acceptResources: [4, "bool"] } as const;
const CREATE = { urn: [1, "string"], properties: [2, "struct"], timeout: [3, "double"], preview: [4, "bool"], name: [5, "string"], type: [6, "string"] } as const;
const READ = { id: [1, "string"], urn: [2, "string"], properties: [3, "struct"], inputs: [4, "struct"], name: [5, "string"], type: [6, "string"] } as const;
const UPDATE = { id: [1, "string"], urn: [2, "string"], olds: [3, "struct"], news: [4, "struct"], timeout: [5, "double"], ignoreChanges: [6, "strings"], preview: [7, "bool"], oldInputs: [8, "struct"], name: [9, "string"], type: [10, "string"] } as const;
const DELETE = { id: [1, "string"], urn: [2, "string"], properties: [3, "struct"], timeout: [4, "double"], oldInputs: [5, "struct"], name: [6, "string"], type: [7, "string"] } as const;
const INVOKE = { tok: [1, "string"], args: [2, "struct"], preview: [7, "bool"] } as const;
const GET_SCHEMA = { version: [1, "int32"], subpackageName: [2, "string"], subpackageVersion: [3, "string"] } as const;
const EMPTY = {} as const;

export type CheckRequest = Message<typeof CHECK>;
export type DiffRequest = Message<typeof DIFF>;
export type ConfigureRequest = Message<typeof CONFIGURE>;
export type CreateRequest = Message<typeof CREATE>;
export type ReadRequest = Message<typeof READ>;
export type UpdateRequest = Message<typeof UPDATE>;
export type DeleteRequest = Message<typeof DELETE>;
export type InvokeRequest = Message<typeof INVOKE>;
export type GetSchemaRequest = Message<typeof GET_SCHEMA>;

/** Each method's request decoder, by handler name (methods.ts names the methods). */
export const REQUESTS = {
  getPluginInfo: decoder(EMPTY),
  getSchema: decoder(GET_SCHEMA),
  checkConfig: decoder(CHECK),
  diffConfig: decoder(DIFF),
  configure: decoder(CONFIGURE),
  check: decoder(CHECK),
  diff: decoder(DIFF),
  create: decoder(CREATE),
  read: decoder(READ),
  update: decoder(UPDATE),
  delete: decoder(DELETE),
  invoke: decoder(INVOKE),
  cancel: decoder(EMPTY),
} as const;


// The answers.

/** `DiffResponse.DiffChanges`. */
export const DiffChanges = { UNKNOWN: 0, NONE: 1, SOME: 2 } as const;
/** `PropertyDiff.Kind`. */
export const PropertyDiffKind = { ADD: 0, ADD_REPLACE: 1, DELETE: 2, DELETE_REPLACE: 3, UPDATE: 4, UPDATE_REPLACE: 5 } as const;
export type PropertyDiffKind = (typeof PropertyDiffKind)[keyof typeof PropertyDiffKind];

export interface CheckFailure {
  property: string;
  reason: string;
}

/** Property values as a Struct field, made JSON-plain first (an `undefined` member is no member, as in JSON). */
const struct = (value: Loose | undefined): Uint8Array | undefined => (value === undefined ? undefined : structBytes(plain(value)));
const failures = (w: Writer, field: number, list: readonly CheckFailure[]): Writer => {
  for (const f of list) w.bytes(field, new Writer().string(1, f.property).string(2, f.reason).finish());
  return w;
};

/** `Empty`: the answer of Delete and Cancel. */
export const EMPTY_MESSAGE = new Uint8Array(0);

/** `PluginInfo`. */
export const pluginInfo = (version: string): Uint8Array => new Writer().string(1, version).finish();

/** `GetSchemaResponse`. */
export const getSchemaResponse = (schema: string): Uint8Array => new Writer().string(1, schema).finish();

/** `CheckResponse` (Check, CheckConfig). */
export const checkResponse = (r: { inputs?: Loose; failures: readonly CheckFailure[] }): Uint8Array => failures(new Writer().message(1, struct(r.inputs)), 2, r.failures).finish();

/** `DiffResponse` (Diff, DiffConfig). */
export function diffResponse(r: {
  changes: number;
  replaces?: readonly string[];
  stables?: readonly string[];
  deleteBeforeReplace?: boolean;
  diffs?: readonly string[];
  detailedDiff?: readonly (readonly [string, { kind: PropertyDiffKind; inputDiff: boolean }])[];
  hasDetailedDiff?: boolean;
}): Uint8Array {
  const w = new Writer()
    .strings(1, r.replaces ?? [])
    .strings(2, r.stables ?? [])
    .bool(3, r.deleteBeforeReplace ?? false)
    .varint(4, r.changes)
    .strings(5, r.diffs ?? []);
  for (const [key, d] of r.detailedDiff ?? []) w.bytes(6, new Writer().string(1, key).bytes(2, new Writer().varint(1, d.kind).bool(2, d.inputDiff).finish()).finish());
  return w.bool(7, r.hasDetailedDiff ?? false).finish();
}

/** `ConfigureResponse`. */
export const configureResponse = (r: { acceptSecrets: boolean; supportsPreview: boolean; acceptResources: boolean; acceptOutputs: boolean }): Uint8Array =>
  new Writer().bool(1, r.acceptSecrets).bool(2, r.supportsPreview).bool(3, r.acceptResources).bool(4, r.acceptOutputs).finish();

/** `CreateResponse`. */
export const createResponse = (r: { id: string; properties?: Loose }): Uint8Array => new Writer().string(1, r.id).message(2, struct(r.properties)).finish();

/** `ReadResponse` (an empty id: the resource is gone). */
export const readResponse = (r: { id: string; properties?: Loose; inputs?: Loose }): Uint8Array =>
  new Writer().string(1, r.id).message(2, struct(r.properties)).message(3, struct(r.inputs)).finish();

/** `UpdateResponse`. */
export const updateResponse = (r: { properties?: Loose }): Uint8Array => new Writer().message(1, struct(r.properties)).finish();

/** `InvokeResponse`. */
export const invokeResponse = (r: { return?: Loose; failures: readonly CheckFailure[] }): Uint8Array => failures(new Writer().message(1, struct(r.return)), 2, r.failures).finish();

/** `ErrorResourceInitFailed`: "created but failed to initialize", the detail of a failed Create or Update. */
export const errorResourceInitFailed = (r: { id: string; properties?: Loose; reasons: readonly string[] }): Uint8Array =>
  new Writer().string(1, r.id).message(2, struct(r.properties)).strings(3, r.reasons).finish();

/** `google.rpc.Status` with its details, each a `google.protobuf.Any` of a message named `typeName`. */
export function rpcStatus(r: { code: number; message: string; details: readonly { typeName: string; value: Uint8Array }[] }): Uint8Array {
  const w = new Writer().varint(1, r.code).string(2, r.message);
  for (const d of r.details) w.bytes(3, new Writer().string(1, `type.googleapis.com/${d.typeName}`).bytes(2, d.value).finish());
  return w.finish();
}

/** A ResourceProvider method: its HTTP/2 path and its request's decoder. */
export interface ProviderMethod {
  path: string;
  deserialize(bytes: Uint8Array): unknown;
}

/** The ResourceProvider methods the plugin serves, by handler name, with their requests' decoders. */
export function providerMethods(): Record<ProviderMethodName, ProviderMethod> {
  return Object.fromEntries((Object.keys(PROVIDER_METHODS) as ProviderMethodName[]).map((name) => [name, { path: methodPath(name), deserialize: REQUESTS[name] }])) as Record<ProviderMethodName, ProviderMethod>;
}
