/**
 * Bad input that Agent37 would refuse is refused before any API call, through Pulumi's provider
 * host: two public ports with the same prefix fail `check` (the API answers 400, and with labels
 * that would be an init failure with one port added, repeated by every later `up`), and an API
 * key that cannot go into an HTTP header fails `configure` with a config error that names
 * `agent37:apiKey` and never prints the key.
 */
import { Engine, CheckFailedError, emulatorConfig, startProviderHost } from "../harness";
import { inputsOf, startRig, TYPE, type Rig } from "./helpers";

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => rig?.close());
beforeEach(async () => rig.admin.clearRequests());

it("refuses two public ports with the same prefix in check, one failure per duplicate, with no API call", async () => {
  const engine = new Engine(rig.host);
  const inputs = await inputsOf({
    name: "prefixes",
    publicPorts: [
      { port: 8644, prefix: "hooks", label: "a" },
      { port: 8645, prefix: "hooks", label: "b" },
      { port: 8646, prefix: "api" },
      { port: 8647, prefix: "hooks" },
    ],
  });
  const error = await engine.register(TYPE, "prefixes", inputs).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckFailedError);
  expect((error as CheckFailedError).failures).toEqual([
    { property: "publicPorts[1].prefix", reason: expect.stringMatching(/^prefix "hooks" is already used by publicPorts\[0\]/) },
    { property: "publicPorts[3].prefix", reason: expect.stringMatching(/^prefix "hooks" is already used by publicPorts\[0\]/) },
  ]);
  expect(await rig.admin.apiRequestCount()).toBe(0);
  expect(await rig.admin.live()).toEqual([]);
});

it("refuses an unlisted agent37- template in check, naming the field, the known system templates and the likely one, with no API call", async () => {
  const engine = new Engine(rig.host);
  const refused = async (template: string): Promise<CheckFailedError> => {
    const error = await engine.register(TYPE, "typo", await inputsOf({ name: "typo", template })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CheckFailedError);
    return error as CheckFailedError;
  };
  const known = "agent37-hermes, agent37-hermes-small, agent37-openclaw";
  expect((await refused("agent37-hermez")).failures).toEqual([
    { property: "template", reason: `"agent37-hermez" is not a system template: the \`agent37-\` prefix is reserved for Agent37's system templates (${known}); did you mean "agent37-hermes"?` },
  ]);
  // A pin does not hide the name; a name close to none of them gets no guess.
  expect((await refused("agent37-opencalw@2026.07.02b")).failures[0]?.reason).toMatch(/did you mean "agent37-openclaw"\?$/);
  const far = (await refused("agent37-claude-code")).failures;
  expect(far).toEqual([{ property: "template", reason: expect.stringContaining(`reserved for Agent37's system templates (${known})`) }]);
  expect(far[0]?.reason).not.toMatch(/did you mean/);
  expect(await rig.admin.apiRequestCount()).toBe(0);
  // The listed ones, pinned or not, and workspace names pass check.
  for (const template of ["agent37-hermes", "agent37-hermes-small@2026.07.02b", "agent37-openclaw", "my-agent@2"]) {
    expect((await rig.host.check(`urn:pulumi:dev::p::${TYPE}::ok`, {}, await inputsOf({ template }))).failures).toEqual([]);
  }
  expect(await rig.admin.live()).toEqual([]);
});

describe("an API key that cannot be sent", () => {
  it.each([
    ["a newline", "\n"],
    ["a carriage return", "\r"],
    ["a non-Latin-1 character", "\u2014"],
  ])("holding %s is refused by the provider's configure, naming agent37:apiKey, not printing it, before any request", async (_label, bad) => {
    const key = `${rig.key.slice(0, 12)}${bad}${rig.key.slice(12)}`;
    const host = await startProviderHost();
    try {
      // The host hands the config to the provider's `configure`, which it runs before the
      // provider's first method (here the first Check): that is where the key is refused.
      await host.configure(emulatorConfig(rig.emulator, key));
      const error = await new Engine(host).register(TYPE, "bad-key", await inputsOf({ name: "bad-key" })).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error).toBeInstanceOf(Error);
      expect(error?.message).toMatch(/agent37:apiKey holds (a line break|a character outside Latin-1) at character 13/);
      expect(error?.message).not.toContain(rig.key.slice(12));
      expect(host.output().stderr).not.toContain(rig.key.slice(12));
      expect(await rig.admin.apiRequestCount()).toBe(0);
    } finally {
      await host.close();
    }
  });
});
