// The two providers the bench compares, behind one interface: how to produce a resource's
// engine-form inputs (with `__provider`, exactly as `pulumi.dynamic.Resource` registers them),
// how to start and configure a provider host for it, and its URN type token.
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";
import { Agent37Instance } from "../../provider";
import { instanceProvider } from "../../provider/dynamic";
import { createKeyOf } from "../../provider/instance/resource";
import type { BenchEmulator } from "./emulator";
import { captureRegistrations, startProviderHost, type ProviderHost } from "../../test/harness";
import { BaselineInstance, baselineProvider } from "../baseline";

export type SideName = "ours" | "baseline";

/** What varies between the resources of one measurement. */
export interface ResourceSpec {
  /** Pulumi resource name (unique in the run: it is part of the URN). */
  name: string;
  /** The instance's `user` tag: the bench's key for counting instances per lifecycle. */
  user: string;
  /** The instance's `name` label. @default `name` */
  label?: string;
}

export interface Subject {
  side: SideName;
  /** URN type token the resource class registers. */
  type: string;
  /** The serialized provider every resource of this subject carries. */
  provider: string;
  /** Engine-form inputs (what Check receives as `news`) for one resource. */
  inputs(spec: ResourceSpec): Record<string, unknown>;
  /** The provider implementation itself, for timing its methods without the host in between. */
  implementation: pulumi.dynamic.ResourceProvider;
  /** Starts a provider host for this subject and configures it against `emulator`. */
  startHost(emulator: Pick<BenchEmulator, "url" | "port" | "keys">): Promise<ProviderHost>;
}

export const STACK = "bench";
export const PROJECT = "agent37-bench";

export function urnOf(subject: Subject, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${subject.type}::${name}`;
}

const RESOURCES = { cpu: 2, memory: 4 };

/** Captures one registration of `create` under mocks: its type token and engine-form inputs. */
async function capture(create: () => unknown): Promise<{ type: string; inputs: Record<string, unknown> }> {
  // The program returns nothing: a returned resource would become stack exports.
  const registrations = await captureRegistrations(
    () => {
      create();
    },
    { project: PROJECT, stack: STACK },
  );
  const dynamic = registrations.find((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
  if (!dynamic) throw new Error("the resource class registered no dynamic resource");
  return { type: dynamic.type, inputs: dynamic.inputs };
}

function providerOf(inputs: Record<string, unknown>): string {
  const provider = inputs["__provider"];
  if (typeof provider !== "string") throw new Error("the registration carries no __provider string");
  return provider;
}

function emulatorConfig(emulator: Pick<BenchEmulator, "url" | "port" | "keys">): Record<string, string> {
  const key = emulator.keys[0];
  if (key === undefined) throw new Error("the emulator has no API key");
  return {
    "agent37:apiKey": key,
    "agent37:apiUrl": emulator.url,
    "agent37:instanceUrlTemplate": `http://{host}.localhost:${emulator.port}`,
  };
}

/**
 * Our provider: `Agent37Instance`, as a user's program declares it. Imported by path rather than
 * by package name because the build's tsconfig must not resolve the package to its own output;
 * both load the same module (node_modules/pulumi-agent37 links to the repository root).
 */
export async function oursSubject(): Promise<Subject> {
  const captured = await capture(() => new Agent37Instance("bench", { template: "agent37-hermes", resources: RESOURCES, name: "bench", user: "bench" }));
  // The class derives a create key per resource (from project, stack, type, parent and name);
  // the captured inputs hold the one of the resource "bench". Each spec gets its own, as its own
  // registration would: resources sharing a key would be refused as copies of each other.
  const keyOf = (name: string): string => createKeyOf({ project: PROJECT, stack: STACK, name });
  if (captured.inputs["createKey"] !== keyOf("bench")) {
    throw new Error("Agent37Instance no longer registers the create key createKeyOf derives: update how the bench derives it");
  }
  return {
    side: "ours",
    type: captured.type,
    provider: providerOf(captured.inputs),
    implementation: instanceProvider(),
    inputs: (spec) => ({ ...captured.inputs, name: spec.label ?? spec.name, user: spec.user, createKey: keyOf(spec.name) }),
    startHost: async (emulator) => {
      const host = await startProviderHost({ env: withoutAgent37Env(process.env) });
      await configureOrClose(host, emulatorConfig(emulator));
      return host;
    },
  };
}

/** The baseline: `BaselineInstance` (bench/baseline), written as Pulumi's docs show. */
export async function baselineSubject(): Promise<Subject> {
  const captured = await capture(() => new BaselineInstance("bench", { template: "agent37-hermes", resources: RESOURCES, name: "bench", user: "bench" }));
  const resolver = path.join(__dirname, "..", "baseline", "localhost-resolver.js");
  return {
    side: "baseline",
    type: captured.type,
    provider: providerOf(captured.inputs),
    implementation: baselineProvider,
    inputs: (spec) => ({ ...captured.inputs, name: spec.label ?? spec.name, user: spec.user }),
    startHost: async (emulator) => {
      const env = withoutAgent37Env(process.env);
      env["NODE_OPTIONS"] = `${env["NODE_OPTIONS"] ?? ""} --require ${JSON.stringify(resolver)}`.trim();
      const host = await startProviderHost({ env });
      await configureOrClose(host, emulatorConfig(emulator));
      return host;
    },
  };
}

async function configureOrClose(host: ProviderHost, config: Record<string, string>): Promise<void> {
  try {
    await host.configure(config);
  } catch (error) {
    await host.close();
    throw error;
  }
}

/** The bench configures providers through stack config only; a developer's shell env must not leak in. */
function withoutAgent37Env(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(env)) if (!k.startsWith("AGENT37_")) copy[k] = v;
  return copy;
}
