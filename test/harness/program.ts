/**
 * Program runs: a Pulumi program under `setMocks` whose dynamic resources are provisioned for
 * real through the provider host by an `Engine` (preview or up), as `pulumi preview`/`up` would.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Properties } from "./client";
import type { Engine, Step } from "./engine";
import { runUnderMocks, toEngineInputs, type MockRunOptions, type Program } from "./mocks";
import { isDynamicType } from "./serialize";

export interface ProgramRunOptions extends Omit<MockRunOptions, "project" | "stack"> {
  /**
   * Also delete resources in the state the program no longer declares, as `up` does.
   * @default true when not a preview
   */
  deleteRemoved?: boolean;
  /**
   * The resource types the engine's provider serves; others are answered by the mocks with
   * their inputs. @default the dynamic types (`pulumi-nodejs:dynamic/...`)
   */
  provides?: (type: string) => boolean;
}

export interface ProgramRun {
  /** The stack exports, resolved to plain values (unknowns in preview are `undefined`). */
  outputs: Record<string, unknown>;
  /** The steps of this run, in the order they finished. */
  steps: Step[];
}

/**
 * Runs `program` (a function, or the path of an example folder or file) as one `pulumi preview`
 * (`preview: true`) or `pulumi up` against `engine`'s state. The engine's project and stack are
 * the mocks' project and stack, so `new pulumi.Config()` reads `project:key` config.
 */
export async function runProgram(engine: Engine, program: Program, opts: ProgramRunOptions = {}): Promise<ProgramRun> {
  const preview = opts.preview ?? false;
  const firstStep = engine.steps.length;
  const declared = new Set<string>();
  if (!preview) await engine.deletePending();
  const outputs = await runUnderMocks(
    program,
    async (args) => {
      if (!args.custom || !(opts.provides ?? isDynamicType)(args.type)) {
        return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
      }
      declared.add(engine.urn(args.type, args.name));
      const inputs = toEngineInputs(args.inputs) as Properties;
      const result = await engine.register(args.type, args.name, inputs, { preview });
      return { id: result.id || undefined, state: result.outputs };
    },
    { ...opts, project: engine.project, stack: engine.stack },
  );
  if (!preview && (opts.deleteRemoved ?? true)) {
    for (const urn of [...engine.state.keys()].reverse()) {
      if (!declared.has(urn)) await engine.delete(urn);
    }
  }
  return { outputs, steps: engine.steps.slice(firstStep) };
}

/** The `name:` of the `Pulumi.yaml` in `dir`: the project an example runs as. */
export function projectName(dir: string): string {
  const yaml = fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8");
  const match = /^name:\s*["']?([^"'\s#]+)/m.exec(yaml);
  if (!match?.[1]) throw new Error(`no project name in ${path.join(dir, "Pulumi.yaml")}`);
  return match[1];
}
