// One `pulumi preview` (or `up`, `destroy`) of the real-CLI bench's dynamic door, in a process of
// its own: an Automation API inline program (no Node language host; the program is served from
// this process) declaring `count` instances: `Agent37Instance` (kind "ours"), or a dynamic
// resource whose provider does nothing: the floor (kind "null") declares the same inputs and
// outputs (env a secret output, as ours) and its `create` records the outputs it is given
// (`$BENCH_NULL_OUTPUTS`, an instance's as ours recorded them: bench/measure/cli.ts), so its state
// has the shape of ours; kind "echo" declares the inputs alone and records them as its outputs.
// A fresh process per
// run, so the program pays its module loading (`require("pulumi-agent37")` happens inside the
// program, as in a user's) and the engine starts a fresh dynamic provider host, as for a user.
//
//   node inline-driver.js '{"workDir":..,"project":..,"stack":..,"kind":"ours","count":10,"action":"preview"}'
//
// The environment (PATH with `pulumi` and the dynamic host's launcher, PULUMI_*) is the caller's.
// Prints one line `BENCH_RESULT {"ms":..,"changes":{..}}`: `ms` times the command alone, from
// the call to its answer; selecting the stack is not counted.
/* eslint-disable @typescript-eslint/no-require-imports -- loaded inside the program, as a user's program loads them */
import type * as pulumiTypes from "@pulumi/pulumi";
import { LocalWorkspace } from "@pulumi/pulumi/automation";

export interface DriverArgs {
  workDir: string;
  project: string;
  stack: string;
  kind: "ours" | "null" | "echo";
  count: number;
  action: "preview" | "up" | "destroy";
  /** Kind "null": the outputs its class declares, and those of them that are secret. */
  outputs?: { keys: string[]; secret: string[] };
}

/** What the floor's `create` records (`$BENCH_NULL_OUTPUTS`): an instance's outputs, plain, and which of them are secret. */
export interface NullOutputs {
  outputs: Record<string, unknown>;
  secret: string[];
}

/** The inputs every instance of the bench's stacks gets (both kinds). */
export function instanceArgs(i: number): { template: string; resources: { cpu: number; memory: number }; name: string } {
  return { template: "agent37-hermes", resources: { cpu: 2, memory: 4 }, name: `agent-${i}` };
}

/** The floor's program; `outputs` are those its class declares (none: the echoing floor). */
function nullProgram(count: number, outputs: DriverArgs["outputs"]): void {
  const pulumi = require("@pulumi/pulumi") as typeof pulumiTypes;
  // No comment or capture inside these functions: their source text is the serialized provider.
  const provider: pulumiTypes.dynamic.ResourceProvider = {
    async check(_olds, news) {
      return { inputs: news };
    },
    async diff() {
      return { changes: false };
    },
    async create(inputs) {
      const given = process.env.BENCH_NULL_OUTPUTS;
      const outs = given === undefined ? inputs : { ...inputs, ...(JSON.parse(given) as { outputs: Record<string, unknown> }).outputs, name: inputs.name };
      return { id: String(inputs.name), outs };
    },
  };
  const keys = outputs?.keys ?? [];
  const opts = outputs === undefined ? {} : { additionalSecretOutputs: outputs.secret };
  // Registered as our classes register (core/declared-resource.ts): without Pulumi's stack-trace
  // capture per property, which would cost the floor more than a provider that does nothing.
  class NullInstance extends pulumi.dynamic.Resource {
    constructor(name: string, args: Record<string, unknown>) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        super(provider, name, args, opts, "agent37null", "Instance");
      } finally {
        Error.stackTraceLimit = limit;
      }
    }
  }
  for (let i = 0; i < count; i++) {
    const props: Record<string, unknown> = {};
    for (const key of keys) props[key] = undefined;
    new NullInstance(`agent-${i}`, Object.assign(props, instanceArgs(i)));
  }
}

function oursProgram(count: number): void {
  const { Agent37Instance } = require("pulumi-agent37") as typeof import("../../provider");
  for (let i = 0; i < count; i++) new Agent37Instance(`agent-${i}`, instanceArgs(i));
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? "{}") as DriverArgs;
  const program = async (): Promise<void> => (args.kind === "ours" ? oursProgram(args.count) : nullProgram(args.count, args.kind === "null" ? args.outputs : undefined));
  const stack = await LocalWorkspace.selectStack(
    { projectName: args.project, stackName: args.stack, program },
    { workDir: args.workDir, envVars: process.env as Record<string, string> },
  );
  const start = process.hrtime.bigint();
  let changes: Record<string, number> | undefined;
  if (args.action === "preview") changes = (await stack.preview()).changeSummary;
  else if (args.action === "up") changes = (await stack.up()).summary.resourceChanges;
  else changes = (await stack.destroy()).summary.resourceChanges;
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  process.stdout.write(`BENCH_RESULT ${JSON.stringify({ ms, changes: changes ?? {} })}\n`);
}

// Run as a script only: the bench imports `instanceArgs` from here.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`inline driver failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
