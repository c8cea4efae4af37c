// A green run prints no Pulumi runtime warning: test/setup/runtime-warnings.ts fails any test
// during which one is printed. These tests show that it sees them, and that the harness's
// capture of a resource's inputs (`() => new Agent37Exec(...)`) exports nothing that prints one.
import { Agent37Exec, Agent37Instance } from "pulumi-agent37";
import { captureInputs, PROVIDER_KEY, runUnderMocks, serializeProvider } from "./harness";
import { takeRuntimeWarnings } from "./setup/runtime-warnings";

afterEach(() => takeRuntimeWarnings());

describe("Pulumi runtime warnings", () => {
  it("are seen: a program exporting an undefined value prints one", async () => {
    takeRuntimeWarnings();
    await runUnderMocks(
      () => ({ missing: undefined }),
      async (args) => ({ id: `${args.name}-id`, state: args.inputs }),
    );
    expect(takeRuntimeWarnings()).toEqual(["warning: [runtime] Undefined value (missing) will not show as a stack output."]);
  });

  it("capturing an Agent37Exec's inputs prints none (its outputs are undefined under these mocks)", async () => {
    takeRuntimeWarnings();
    const provider = await serializeProvider(() => new Agent37Exec("c", { instanceId: "ab12cd34ef", create: "true" }));
    expect(provider).toContain("execProvider");
    const inputs = await captureInputs(() => new Agent37Instance("i", { template: "agent37-hermes" }));
    expect(typeof inputs[PROVIDER_KEY]).toBe("string");
    expect(takeRuntimeWarnings()).toEqual([]);
  });
});
