// The pure parts of Agent37Exec: diff classification, check, and the text handling that keeps
// environment values out of what the provider reports.
import { checkExecInputs } from "../../provider/exec/check";
import { diffExec } from "../../provider/exec/diff";
import { buildScript, describeCommand, maskError, masker, shellQuote, tail } from "../../provider/exec/shell";
import { UNKNOWN } from "../harness";

const recorded = {
  instanceId: "ab12cd34ef",
  create: "echo hi",
  update: null,
  delete: null,
  triggers: ["1"],
  environment: { TOKEN: "abcdef" },
  expectExitCode: 0,
  waitForRunning: true,
  exitCode: 0,
  stdout: "hi\n",
  stderr: "",
  truncated: false,
  ranAt: "2026-11-28T00:00:00.000Z",
};
const inputs = { instanceId: "ab12cd34ef", create: "echo hi", triggers: ["1"], environment: { TOKEN: "abcdef" } };

describe("diff", () => {
  it("reports no change when the inputs match the record, defaults included", () => {
    expect(diffExec(recorded, { ...inputs, expectExitCode: 0, waitForRunning: true, __provider: "x" })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
  });

  it("reads a record from an earlier version (no defaults stored) as its defaults", () => {
    const old = { instanceId: "ab12cd34ef", create: "echo hi" };
    expect(diffExec(old, { instanceId: "ab12cd34ef", create: "echo hi", triggers: [], environment: {} }).changes).toBe(false);
  });

  it("reports an in-place change for each input that re-runs or is stored", () => {
    for (const change of [{ create: "echo 2" }, { update: "echo u" }, { triggers: ["2"] }, { environment: { TOKEN: "other" } }, { expectExitCode: 1 }, { delete: "rm -rf x" }, { waitForRunning: false }]) {
      expect(diffExec(recorded, { ...inputs, ...change })).toMatchObject({ changes: true, replaces: [] });
    }
  });

  it("replaces for another instance, known or not", () => {
    expect(diffExec(recorded, { ...inputs, instanceId: "zz99zz99zz" }).replaces).toEqual(["instanceId"]);
    expect(diffExec(recorded, { ...inputs, instanceId: UNKNOWN }).replaces).toEqual(["instanceId"]);
  });
});

describe("check", () => {
  it("names each rule: missing create, empty update, bad exit code, unknown field", () => {
    const failures = checkExecInputs({ instanceId: "ab12cd34ef", update: " ", expectExitCode: 256, extra: 1 });
    expect(failures.map((f) => f.property).sort()).toEqual(["create", "expectExitCode", "extra", "update"]);
  });
});

describe("shell text", () => {
  it("single-quotes values so sh reads them literally", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(buildScript("run", { A: "1", B: "$x" })).toBe("export A='1'; export B='$x'; run");
    expect(buildScript("run")).toBe("run");
  });

  it("masks environment values of 4 characters or more, longest first", () => {
    const mask = masker({ A: "on", B: "secret", C: "secret-long" });
    expect(mask("on: secret-long and secret")).toBe("on: *** and ***");
  });

  it("does not quote a command that contains an environment value or looks like it carries a key", () => {
    expect(describeCommand("echo abcdef", { environment: { T: "abcdef" } })).toMatch(/not shown/);
    expect(describeCommand("curl -H 'X-Api-Key: 1'", {})).toMatch(/not shown/);
    expect(describeCommand("make   install", {})).toBe("`make install`");
  });

  it("keeps the last bytes of a long output without splitting a character", () => {
    const t = tail(`${"x".repeat(10)}é${"y".repeat(4)}`, 5);
    expect(t).toBe("…yyyy");
    expect(tail("short", 2048)).toBe("short");
  });

  it("masks an error's message, stack, string properties and cause in place, keeping its class", () => {
    class Probe extends Error {
      detail = "has abcdef";
    }
    const err = new Probe("boom abcdef", { cause: new Error("inner abcdef") });
    const masked = maskError(err, masker({ T: "abcdef" }));
    expect(masked).toBeInstanceOf(Probe);
    expect(`${masked.message} ${masked.stack} ${masked.detail} ${(masked.cause as Error).message}`).not.toContain("abcdef");
  });
});
