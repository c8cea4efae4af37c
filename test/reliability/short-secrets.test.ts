/**
 * Short `env` values through the provider host: every value of 4 characters or more is scrubbed
 * from an error that quotes it (message, stack, host stderr), and the operation in front, which
 * names the resource, stays whole even when an env value equals the resource's name.
 */
import { Engine, HostError } from "../harness";
import { errorText, inputsOf, startRig, TYPE, type Rig } from "./helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => rig?.close());
afterEach(async () => rig.admin.clearFaults());

async function refusedCreate(name: string, env: Record<string, string>, quoted: string): Promise<HostError> {
  await rig.admin.setFaults([
    { method: "POST", path: "/v1/instances", kind: "status", status: 400, code: "invalid_request", message: `Invalid request: env value ${quoted} is not allowed.`, count: 1 },
  ]);
  const error = await new Engine(rig.host).register(TYPE, name, await inputsOf({ name, env })).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HostError);
  return error as HostError;
}

it("scrubs a 4-character env value from the error, its stack and the host's output", async () => {
  const error = await refusedCreate("short-secret", { PIN: "hntr" }, "hntr");
  expect(error.message).toContain("env value [REDACTED] is not allowed");
  expect(errorText(error)).not.toContain("hntr");
  expect(rig.host.output().stderr).not.toContain("hntr");
  expect(rig.host.output().stdout).not.toContain("hntr");
});

it("leaves a 3-character value in place (below the documented floor of 4)", async () => {
  const error = await refusedCreate("three-chars", { FLAG: "abc" }, "abc");
  expect(error.message).toContain("env value abc is not allowed");
});

it("never blanks the operation when an env value equals the resource's name", async () => {
  const error = await refusedCreate("prod", { STAGE: "prod" }, "prod");
  expect(error.message).toContain('creating Agent37 instance "prod": Agent37 answered 400');
  expect(error.message).toContain("env value [REDACTED] is not allowed");
});
