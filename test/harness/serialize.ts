/**
 * Producing `__provider` (and the rest of a dynamic resource's inputs) exactly as
 * `pulumi.dynamic.Resource` does: by constructing the real resource under
 * `pulumi.runtime.setMocks` and taking the inputs the SDK registers.
 */
import { loadProgram, runUnderMocks, toEngineInputs, type MockRunOptions, type Program } from "./mocks";
import { PROVIDER_KEY } from "./protocol";

/** One resource registration as the engine would receive it. */
export interface Registration {
  type: string;
  name: string;
  custom: boolean;
  /** Engine form: secrets as plaintext, unknowns as the sentinel; includes `__provider` for dynamic resources. */
  inputs: Record<string, unknown>;
}

/** True for the type tokens `pulumi.dynamic.Resource` registers (`pulumi-nodejs:dynamic/...`). */
export function isDynamicType(type: string): boolean {
  return type.startsWith("pulumi-nodejs:dynamic");
}

/**
 * Runs `program` under mocks that answer each registration with its own inputs, and returns
 * every registration except the stack itself, in registration order.
 */
export async function captureRegistrations(program: Program, opts: MockRunOptions = {}): Promise<Registration[]> {
  const registrations: Registration[] = [];
  // The program's value is how a caller hands over the resource it builds (`() => new
  // Agent37Exec(...)`), not stack exports: exporting it would make the SDK print a warning for
  // every output these mocks leave undefined (`Undefined value (exitCode) will not show as a
  // stack output`), as it does for a real program whose `export =` is a resource under mocks.
  const run = typeof program === "string" ? () => loadProgram(program) : program;
  await runUnderMocks(
    async () => {
      await run();
      return undefined;
    },
    async (args) => {
      if (args.type !== "pulumi:pulumi:Stack") {
        registrations.push({
          type: args.type,
          name: args.name,
          custom: args.custom ?? false,
          inputs: toEngineInputs(args.inputs) as Record<string, unknown>,
        });
      }
      return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
    },
    opts,
  );
  return registrations;
}

/** The engine-form inputs (with `__provider`) of the first dynamic resource `program` registers. */
export async function captureInputs(program: Program, opts: MockRunOptions = {}): Promise<Record<string, unknown>> {
  const registrations = await captureRegistrations(program, opts);
  const dynamic = registrations.find((r) => isDynamicType(r.type));
  if (!dynamic) throw new Error("the program registered no dynamic resource");
  return dynamic.inputs;
}

/** The `__provider` string `pulumi.dynamic.Resource` produces for the first dynamic resource `program` registers. */
export async function serializeProvider(program: Program, opts: MockRunOptions = {}): Promise<string> {
  const provider = (await captureInputs(program, opts))[PROVIDER_KEY];
  if (typeof provider !== "string") throw new Error(`${PROVIDER_KEY} is not a string: ${typeof provider}`);
  return provider;
}
