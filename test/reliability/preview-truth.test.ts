/**
 * Previews that tell the truth (issue 22, items 7, 9 and 10): a seeded generator of instance
 * changes, each previewed and then applied through the plugin's gRPC service and through Pulumi's
 * dynamic provider host (preview-truth.ts says what is checked), plus the cases it found.
 *
 * Knobs (environment): PREVIEW_SEED, PREVIEW_STEPS (per chain; 3 chains per door, default 50).
 */
import type { RunningEmulator } from "pulumi-agent37/emulator";
import { emulatorConfig, startPluginHost, UNKNOWN, type PluginHost, type ProviderHost } from "../harness";
import { startRig, type Rig } from "./helpers";
import { changeThrough, createThrough, engineInputs, plainOutputs, runChain, urnOf, type Door, type DoorName, type Inputs, type Recorded } from "./preview-truth";

const SEED = Number(process.env.PREVIEW_SEED ?? 22);
const STEPS = Number(process.env.PREVIEW_STEPS ?? 50);
const CHAINS = 3;

let rig: Rig;
let emulator: RunningEmulator;
let plugin: PluginHost;
let doors: Record<DoorName, Door>;

beforeAll(async () => {
  rig = await startRig();
  emulator = rig.emulator;
  plugin = await startPluginHost();
  await plugin.configure(emulatorConfig(emulator, rig.key));
  doors = { plugin: { name: "plugin", host: plugin }, dynamic: { name: "dynamic", host: rig.host } };
});
afterAll(async () => {
  await plugin?.close();
  await rig?.close();
});

async function budgetOf(id: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${emulator.url}/v1/instances/${id}/budget`, { headers: { authorization: `Bearer ${rig.key}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, unknown>;
}

async function remove(door: Door, urn: string, rec: Recorded | undefined): Promise<void> {
  if (rec !== undefined) await door.host.delete(urn, rec.id, rec.outs, rec.inputs);
}

describe("the preview generator, through both doors", () => {
  it(`${CHAINS * 2 * STEPS} seeded changes: every known plan is what the update returns, every no-change diff changes nothing, both doors agree`, async () => {
    const runs = await Promise.all(
      (["plugin", "dynamic"] as const).flatMap((d) => Array.from({ length: CHAINS }, (_, c) => runChain(doors[d], `chain-${c}`, SEED * 100 + c, STEPS).then((r) => ({ d, c, r })))),
    );
    const problems = runs.flatMap(({ r }) => r.problems);
    // The same changes, diffed in each door: the same verdict (no change, update, which replaces).
    for (let c = 0; c < CHAINS; c++) {
      const p = runs.find((x) => x.d === "plugin" && x.c === c)?.r;
      const y = runs.find((x) => x.d === "dynamic" && x.c === c)?.r;
      p?.verdicts.forEach((v, i) => {
        const other = y?.verdicts[i];
        if (other !== undefined && JSON.stringify(v) !== JSON.stringify(other)) problems.push(`chain-${c} #${i}: the plugin diffs ${JSON.stringify(v)}, the dynamic door ${JSON.stringify(other)}`);
      });
    }
    await Promise.all(runs.map(({ d, c, r }) => remove(doors[d], urnOf(d, `chain-${c}`), r.last)));
    expect(problems.slice(0, 20)).toEqual([]);
    // Every change was previewed and applied, and the kinds of change were all exercised.
    const verdicts = runs.flatMap(({ r }) => r.verdicts);
    expect(verdicts).toHaveLength(CHAINS * 2 * STEPS);
    expect(verdicts.some((v) => v.changes === "none")).toBe(true);
    expect(verdicts.some((v) => v.changes === "some" && v.replaces.length === 0)).toBe(true);
    expect(verdicts.some((v) => v.replaces.length > 0)).toBe(true);
  }, 90_000);
});

describe.each(["plugin", "dynamic"] as const)("the changes it found, through the %s door", (d) => {
  const door = (): Door => doors[d];
  const host = (): ProviderHost => doors[d].host;

  async function withInstance(name: string, raw: Inputs, run: (urn: string, rec: Recorded) => Promise<Recorded | void>): Promise<void> {
    const urn = urnOf(d, name);
    let rec = await createThrough(door(), urn, raw);
    try {
      rec = (await run(urn, rec)) ?? rec;
    } finally {
      await remove(door(), urn, rec);
    }
  }

  async function diffOf(urn: string, rec: Recorded, raw: Inputs) {
    const checked = await host().check(urn, rec.inputs, await engineInputs(d, raw));
    return { news: checked.inputs, diff: await host().diff(urn, rec.id, rec.outs, checked.inputs, rec.inputs) };
  }

  it("7: enabling the gate with a rename diffs `health`, plans it unknown, and the update runs the gate", async () => {
    await withInstance("gate-on", { name: "a", health: { disabled: true } }, async (urn, rec) => {
      expect(plainOutputs(rec.outs).health).toBeNull();
      const { news, diff } = await diffOf(urn, rec, { name: "b", health: {} });
      expect(diff.changes).toBe("some");
      expect(diff.replaces).toEqual([]);
      if (d === "plugin") {
        expect(Object.keys(diff.detailedDiff ?? {}).sort()).toEqual(["health", "name"]);
        expect(diff.stables).not.toContain("health");
        const planned = plainOutputs((await host().update(urn, rec.id, rec.outs, news, rec.inputs, { preview: true })).properties);
        expect(planned.health).toBe(UNKNOWN);
        expect(planned.name).toBe("b");
      }
      const updated = plainOutputs((await host().update(urn, rec.id, rec.outs, news, rec.inputs)).properties);
      expect(updated.health).toMatchObject({ ok: true, healthy: true });
      expect(updated.name).toBe("b");
    });
  });

  it("7: dropping a disabled gate alone is a change, and so is disabling it; the same gate again is none", async () => {
    await withInstance("gate-drop", { health: { disabled: true } }, async (urn, rec) => {
      const same = await diffOf(urn, rec, { health: { disabled: true, timeoutSeconds: 600 } });
      expect(same.diff.changes).toBe("none");
      const { news, diff } = await diffOf(urn, rec, {});
      expect(diff.changes).toBe("some");
      if (d === "plugin") expect(diff.detailedDiff).toEqual({ health: "DELETE" });
      const updated = (await host().update(urn, rec.id, rec.outs, news, rec.inputs)).properties;
      expect(plainOutputs(updated).health).toMatchObject({ ok: true, healthy: true });
      const on: Recorded = { ...rec, outs: updated, inputs: news };
      // Back to disabled: a change (the echo moves); the recorded answer stays, as planned.
      const r = await changeThrough(door(), urn, on, { health: { disabled: true } });
      expect(r.verdict.changes).toBe("some");
      expect(r.problems).toEqual([]);
      return r.rec;
    });
  });

  it("9: `budget: {}` after a cap leaves the cap recorded, as Agent37 keeps it", async () => {
    await withInstance("budget-kept", { budget: { monthlyCapMicros: 5_000_000 } }, async (urn, rec) => {
      const r = await changeThrough(door(), urn, rec, { budget: {} });
      expect(r.verdict.changes).toBe("none");
      expect(r.problems).toEqual([]);
      expect(plainOutputs(rec.outs).budget).toEqual({ monthlyCapMicros: 5_000_000, creditMicros: null });
      expect((await budgetOf(rec.id)).monthly_cap_micros).toBe(5_000_000);
      // And with a rename, the plan and the update both keep it.
      const renamed = await changeThrough(door(), urn, r.rec, { budget: {}, name: "renamed" });
      expect(renamed.verdict.changes).toBe("some");
      expect(renamed.problems).toEqual([]);
      expect(plainOutputs(renamed.rec.outs).budget).toEqual({ monthlyCapMicros: 5_000_000, creditMicros: null });
      return renamed.rec;
    });
  });

  it("9: `budget: {monthlyCapMicros: 0}` (the default) on a bare instance is no change and leaves `budget` null", async () => {
    await withInstance("budget-zero", {}, async (urn, rec) => {
      const r = await changeThrough(door(), urn, rec, { budget: { monthlyCapMicros: 0, creditMicros: 0 } });
      expect(r.verdict.changes).toBe("none");
      expect(r.problems).toEqual([]);
      const renamed = await changeThrough(door(), urn, r.rec, { budget: { monthlyCapMicros: 0 }, name: "n" });
      expect(renamed.problems).toEqual([]);
      expect(plainOutputs(renamed.rec.outs).budget).toBeNull();
      return renamed.rec;
    });
  });

  it("10: `type: \"dedicated\"` (the default) and `ports` reordered are no change and leave the outputs alone", async () => {
    await withInstance("defaults", { ports: [3000, 8000] }, async (urn, rec) => {
      const r = await changeThrough(door(), urn, rec, { type: "dedicated", ports: [8000, 3000] });
      expect(r.verdict).toEqual({ changes: "none", replaces: [] });
      expect(r.problems).toEqual([]);
      const renamed = await changeThrough(door(), urn, r.rec, { type: "dedicated", ports: [8000, 3000], name: "n" });
      expect(renamed.problems).toEqual([]);
      expect(plainOutputs(renamed.rec.outs)).toMatchObject({ type: null, requestedPorts: [3000, 8000] });
      return renamed.rec;
    });
  });
});

/** Stops the instance outside Pulumi (the hosting API, as a user's script would) and waits until it reads as stopped. */
async function stopOutside(id: string): Promise<void> {
  const headers = { authorization: `Bearer ${rig.key}` };
  const res = await fetch(`${emulator.url}/v1/instances/${id}/stop`, { method: "POST", headers });
  expect(res.status).toBeLessThan(300);
  for (let i = 0; i < 500; i++) {
    const got = (await (await fetch(`${emulator.url}/v1/instances/${id}`, { headers })).json()) as { status?: string };
    if (got.status === "stopped") return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`instance ${id} never read as stopped`);
}

describe.each(["plugin", "dynamic"] as const)("drift in known values (issue 24, item 5), through the %s door", (d) => {
  it('an instance stopped outside: refresh shows state "running" => "stopped", the next preview "stopped" => "running", nothing unknown', async () => {
    const door = doors[d];
    const urn = urnOf(d, "stopped-outside");
    const rec = await createThrough(door, urn, { name: "drift" });
    try {
      // The program's checked inputs name the desired run state, so the engine has a value to show.
      expect(rec.inputs.state).toBe("running");
      expect(plainOutputs(rec.outs).state).toBe("running");
      await stopOutside(rec.id);

      // `pulumi refresh`: Read, then the engine's refresh diff (the up diff with the roles swapped:
      // the refreshed inputs and outputs as the old ones, the inputs before the refresh as the new).
      const read = await door.host.read(urn, rec.id, rec.outs, rec.inputs);
      const refreshed = plainOutputs(read.properties);
      expect(refreshed).toMatchObject({ status: "stopped", state: "stopped" });
      expect(read.inputs?.state).toBe("stopped");
      const refreshDiff = await door.host.diff(urn, rec.id, read.properties, rec.inputs, read.inputs);
      expect(refreshDiff.changes).toBe("some");

      // The next `pulumi preview`: the program's inputs against the refreshed state.
      const checked = await door.host.check(urn, read.inputs ?? {}, await engineInputs(d, { name: "drift" }));
      expect(checked.inputs.state).toBe("running");
      const previewDiff = await door.host.diff(urn, rec.id, read.properties, checked.inputs, read.inputs);
      expect(previewDiff.changes).toBe("some");

      // What the CLI shows for a detailed-diff entry (pkg/engine/detailedDiff.go): the old value
      // from the old outputs, the new one from the new outputs (refresh) or the new inputs
      // (preview). Every entry must name values that exist there: an absent one shows as unknown.
      const before = plainOutputs(rec.outs);
      if (d === "plugin") {
        expect(refreshDiff.detailedDiff).toEqual({ state: "UPDATE" });
        expect(previewDiff.detailedDiff).toEqual({ state: "UPDATE" });
        for (const k of Object.keys(refreshDiff.detailedDiff ?? {})) expect([k, before[k] !== undefined, refreshed[k] !== undefined]).toEqual([k, true, true]);
        for (const k of Object.keys(previewDiff.detailedDiff ?? {})) expect([k, refreshed[k] !== undefined, checked.inputs[k] !== undefined]).toEqual([k, true, true]);
      }
      // The dynamic host sends no detailed diff; the engine then shows the same property from
      // the outputs and the inputs, which now hold it on both sides.
      expect([before.state, refreshed.state]).toEqual(["running", "stopped"]);
      expect([refreshed.state, checked.inputs.state]).toEqual(["stopped", "running"]);

      // And `up` brings it back, as the preview said.
      const up = await changeThrough(door, urn, { id: rec.id, outs: read.properties, inputs: read.inputs ?? {} }, { name: "drift" });
      expect(up.problems).toEqual([]);
      expect(plainOutputs(up.rec.outs)).toMatchObject({ status: "running", state: "running" });
      await door.host.delete(urn, up.rec.id, up.rec.outs, up.rec.inputs);
    } catch (err) {
      await door.host.delete(urn, rec.id, rec.outs, rec.inputs).catch(() => undefined);
      throw err;
    }
  });
});
