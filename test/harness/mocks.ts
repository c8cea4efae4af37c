/**
 * Running Pulumi programs in-process under `pulumi.runtime.setMocks`, and translating what the
 * SDK registers into the form the engine would send to a provider.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { isSecretEnvelope, UNKNOWN } from "./protocol";

export type MockResourceArgs = pulumi.runtime.MockResourceArgs;
export type MockResourceResult = pulumi.runtime.MockResourceResult;

export interface MockRunOptions {
  /** Project name: what `new pulumi.Config()` namespaces by. @default "project" */
  project?: string;
  /** @default "dev" */
  stack?: string;
  /** Run as `pulumi preview` (unknowns stay unknown). @default false */
  preview?: boolean;
  /** Program config, keys `project:key` as in `Pulumi.<stack>.yaml`. Replaces any earlier config. */
  config?: Record<string, string>;
  /** Config keys that are secrets. */
  secretKeys?: string[];
}

/** A program: a function (its return value are the stack exports) or the path of an `index.ts`/`.js`. */
export type Program = (() => unknown) | string;

/**
 * Runs `program` as the Pulumi language host would (inside `runInPulumiStack`), answering every
 * resource registration with `newResource`, and resolves to the stack's exports once every
 * registration has finished. Runs must not overlap: the SDK's runtime state is global.
 */
export async function runUnderMocks(
  program: Program,
  newResource: (args: MockResourceArgs) => Promise<MockResourceResult>,
  opts: MockRunOptions = {},
): Promise<Record<string, unknown>> {
  pulumi.runtime.setAllConfig(opts.config ?? {}, opts.secretKeys);
  const pending = new Set<Promise<unknown>>();
  const failures: unknown[] = [];
  let signalFailure: () => void = () => undefined;
  const failed = new Promise<"failed">((resolve) => (signalFailure = () => resolve("failed")));
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const result = newResource(args);
        const tracked = result.then(
          () => undefined,
          () => undefined,
        );
        pending.add(tracked);
        void tracked.finally(() => pending.delete(tracked));
        // A failed resource is answered with a promise that never settles: rejecting would
        // reject the resource's outputs inside the SDK, where nobody awaits them. Its dependents
        // are never registered, as with the real engine, and the run ends with the failure.
        return result.catch((error: unknown) => {
          failures.push(error);
          signalFailure();
          return new Promise<never>(() => undefined);
        });
      },
      call: (args) => {
        throw new Error(`function ${args.token} is not available under this harness`);
      },
    },
    opts.project ?? "project",
    opts.stack ?? "dev",
    opts.preview ?? false,
  );
  const init = typeof program === "string" ? () => loadProgram(program) : program;
  const run = pulumi.runtime.runInPulumiStack(async () => init()).then(async (exports) => {
    await settle(pending);
    return exports;
  });
  void run.catch(() => undefined); // a rejection after a failure was already reported
  const outcome = await Promise.race([run, failed]);
  if (outcome === "failed") {
    // Let the resources already in flight finish, so the state holds everything that was made.
    while (pending.size > 0) await Promise.all(pending);
    throw failures[0];
  }
  return (outcome as Record<string, unknown> | undefined) ?? {};
}

/** Waits until the SDK has no RPC in flight and no registration of ours is pending. */
async function settle(pending: Set<Promise<unknown>>): Promise<void> {
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  for (;;) {
    if (waitForRPCs) await waitForRPCs();
    if (pending.size === 0) return;
    await Promise.all(pending);
  }
}

/**
 * Evaluates a program file as written, fresh on every call (so a program can run once per
 * `pulumi up`), with `@pulumi/pulumi` bound to the instance the mocks were set on. TypeScript is
 * transpiled with the project's `typescript`, as Pulumi's Node.js runtime does.
 */
export function loadProgram(file: string): unknown {
  let resolved = path.resolve(file);
  if (fs.statSync(resolved).isDirectory()) {
    resolved = ["index.ts", "index.js"].map((f) => path.join(resolved, f)).find((f) => fs.existsSync(f)) ?? path.join(resolved, "index.ts");
  }
  const source = fs.readFileSync(resolved, "utf8");
  const code = resolved.endsWith(".ts") ? transpile(source, resolved) : source;
  const nodeRequire = createRequire(resolved);
  const programRequire = (id: string): unknown => {
    if (id === "@pulumi/pulumi") return pulumi;
    if (id.startsWith(".")) {
      const target = nodeRequire.resolve(id.endsWith(".ts") ? id : tryTs(path.dirname(resolved), id));
      return target.endsWith(".ts") ? loadProgram(target) : nodeRequire(target);
    }
    // Packages resolve from this harness's module context, so the provider package shares the
    // `@pulumi/pulumi` instance the mocks were set on.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- ids known only at run time
    return require(id);
  };
  const module = { exports: {} as Record<string, unknown> };
  // `Function` (not `vm`) so the program runs in the caller's realm: under jest that is the test
  // context, where the SDK's `instanceof Array` checks must hold for the program's values.
  const wrapper = new Function("exports", "require", "module", "__filename", "__dirname", `${code}\n//# sourceURL=${resolved}`);
  (wrapper as (...a: unknown[]) => void)(module.exports, programRequire, module, resolved, path.dirname(resolved));
  return module.exports;
}

function tryTs(dir: string, id: string): string {
  for (const ext of [".ts", "/index.ts"]) {
    if (fs.existsSync(path.join(dir, id + ext))) return id + ext;
  }
  return id;
}

function transpile(source: string, fileName: string): string {
  // Loaded on first use: it is large and only needed for `.ts` programs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require("typescript") as typeof import("typescript");
  return ts.transpileModule(source, {
    fileName,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  }).outputText;
}

/**
 * Converts inputs as the SDK registered them into what the engine sends a provider that does
 * not accept secrets (the dynamic host): secrets unwrapped to plaintext, unknowns as the
 * sentinel string.
 */
export function toEngineInputs(value: unknown): unknown {
  if (pulumi.isUnknown(value)) return UNKNOWN;
  if (isSecretEnvelope(value)) return toEngineInputs(value.value);
  if (Array.isArray(value)) return value.map(toEngineInputs);
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v !== undefined) out[k] = toEngineInputs(v);
    }
    return out;
  }
  return value;
}
