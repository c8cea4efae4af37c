// Progress lines while a resource waits (provider/core/progress.ts): when they come, what they
// say, that they end with the wait; and that the waits of an instance's create and a template's
// build report through whatever reporter the door put around the operation.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { registerSecret } from "../../provider/core/redact";
import { formatElapsed, ProgressReporter, reportingTo, waitingFor, type ProgressClock } from "../../provider/core/progress";
import { engineAddressOf } from "../../provider/core/engine-log";
import { checkTemplateInputs } from "../../provider/template/check";
import { createTemplateProvider } from "../../provider/front/dynamic/providers";
import { createDomainProvider, createDomainVerificationProvider } from "../../provider/front/dynamic/providers";
import { EmulatorFixture } from "../harness/emulator-fixture";

/** A clock that moves only when told, running what falls due on the way, in order. */
class ManualClock implements ProgressClock {
  private t = 1_000_000;
  private timers: { at: number; run: () => void }[] = [];
  now(): number {
    return this.t;
  }
  after(ms: number, run: () => void): () => void {
    const timer = { at: this.t + ms, run };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.t = due.at;
      due.run();
    }
    this.t = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}

/** A sink that keeps every line. */
function recorder(): { lines: string[]; report: (m: string) => void } {
  const lines: string[] = [];
  return { lines, report: (m) => lines.push(m) };
}

/** A promise the test settles. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe("the progress reporter", () => {
  it("says nothing for the first 2 s of a wait, then every 5 s what it waits for, for how long, and the last state seen", async () => {
    const clock = new ManualClock();
    const sink = recorder();
    const reporter = new ProgressReporter(sink, { clock });
    const g = gate();
    let observe: (s: string) => void = () => undefined;
    const done = reporter.wait("the gateway's health", async (o) => {
      observe = o;
      await g.promise;
      return "ok";
    });
    clock.advance(1_999);
    expect(sink.lines).toEqual([]);
    clock.advance(1);
    expect(sink.lines).toEqual(["waiting for the gateway's health (2 s)"]);
    observe("booting");
    clock.advance(4_999);
    expect(sink.lines).toHaveLength(1);
    clock.advance(1);
    observe("gateway up, hermes not healthy yet");
    clock.advance(5_000);
    expect(sink.lines).toEqual([
      "waiting for the gateway's health (2 s)",
      "waiting for the gateway's health (7 s, booting)",
      "waiting for the gateway's health (12 s, gateway up, hermes not healthy yet)",
    ]);
    g.open();
    await expect(done).resolves.toBe("ok");
    // The line is cleared, and no timer is left to bring it back.
    expect(sink.lines.at(-1)).toBe("");
    expect(clock.pending).toBe(0);
    clock.advance(60_000);
    expect(sink.lines).toHaveLength(4);
  });

  it("shows nothing at all for a wait shorter than the first interval", async () => {
    const clock = new ManualClock();
    const sink = recorder();
    const reporter = new ProgressReporter(sink, { clock, firstMs: 100, everyMs: 200 });
    const g = gate();
    const done = reporter.wait("x", () => g.promise);
    clock.advance(99);
    g.open();
    await done;
    clock.advance(1_000);
    expect(sink.lines).toEqual([]);
  });

  it("takes its intervals from the options", async () => {
    const clock = new ManualClock();
    const sink = recorder();
    const reporter = new ProgressReporter(sink, { clock, firstMs: 10, everyMs: 20 });
    const g = gate();
    const done = reporter.wait("the template build of \"app\"", () => g.promise);
    clock.advance(50);
    expect(sink.lines).toEqual(['waiting for the template build of "app" (0 s)', 'waiting for the template build of "app" (0 s)', 'waiting for the template build of "app" (0 s)']);
    g.open();
    await done;
  });

  it("shows only the innermost of nested waits, and clears the line when a wait that showed one ends", async () => {
    const clock = new ManualClock();
    const sink = recorder();
    const reporter = new ProgressReporter(sink, { clock, firstMs: 1_000, everyMs: 1_000 });
    const inner = gate();
    const outer = gate();
    const done = reporter.wait("the update", async () => {
      await reporter.wait("instance i_1 to stop", (observe) => {
        observe("stopping");
        return inner.promise;
      });
      await outer.promise;
    });
    clock.advance(2_000);
    expect(sink.lines).toEqual(["waiting for instance i_1 to stop (1 s, stopping)", "waiting for instance i_1 to stop (2 s, stopping)"]);
    inner.open();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(sink.lines.at(-1)).toBe("");
    clock.advance(1_000);
    expect(sink.lines.at(-1)).toBe("waiting for the update (3 s)");
    outer.open();
    await done;
    expect(sink.lines.at(-1)).toBe("");
  });

  it("never fails the wait when the sink throws, and ends with the wait's own error", async () => {
    const clock = new ManualClock();
    const reporter = new ProgressReporter({ report: () => { throw new Error("sink down"); } }, { clock, firstMs: 1, everyMs: 1 });
    const g = gate();
    const done = reporter.wait("x", async () => {
      await g.promise;
      throw new Error("the wait's own failure");
    });
    clock.advance(5);
    g.open();
    await expect(done).rejects.toThrow("the wait's own failure");
  });

  it("takes the API key out of a line", async () => {
    const key = "sk_live_progress0line0key0000";
    registerSecret(key);
    const clock = new ManualClock();
    const sink = recorder();
    const reporter = new ProgressReporter(sink, { clock, firstMs: 1, everyMs: 1 });
    const g = gate();
    const done = reporter.wait(`a wait naming ${key}`, () => g.promise);
    clock.advance(1);
    g.open();
    await done;
    expect(sink.lines[0]).toBe("waiting for a wait naming [REDACTED] (0 s)");
  });

  it("counts a line's time from when it was due, when the timer fires a millisecond early", async () => {
    // Node's timers run on a monotonic clock and the lines on the wall clock: a 2 s timer can
    // fire when the wall clock has moved 1999 ms.
    const clock = new ManualClock();
    const early: ProgressClock = { now: () => clock.now(), after: (ms, run) => clock.after(ms - 1, run) };
    const sink = recorder();
    const reporter = new ProgressReporter(sink, { clock: early });
    const waiting = gate();
    const done = reportingTo(reporter, () => waitingFor("the gateway's health", () => waiting.promise));
    clock.advance(7_000);
    waiting.open();
    await done;
    expect(sink.lines.slice(0, 2)).toEqual(["waiting for the gateway's health (2 s)", "waiting for the gateway's health (7 s)"]);
  });

  it("outside any door, a wait runs and reports nothing", async () => {
    await expect(waitingFor("x", async (observe) => (observe("y"), 42))).resolves.toBe(42);
  });

  it.each([
    [0, "0 s"],
    [12_400, "12 s"],
    [59_999, "59 s"],
    [65_000, "1 min 5 s"],
    [3_600_000, "60 min 0 s"],
  ])("formats %d ms as %s", (ms, text) => {
    expect(formatElapsed(ms)).toBe(text);
  });

  it.each([
    [["127.0.0.1:4567"], "127.0.0.1:4567"],
    [["--logtostderr", "-v=9", "--tracing", "tcp://127.0.0.1:1", "127.0.0.1:4567"], "127.0.0.1:4567"],
    [[], undefined],
    [["--logtostderr"], undefined],
  ])("finds the engine's address in %j", (args, address) => {
    expect(engineAddressOf(args)).toBe(address);
  });
});

describe("the waits of an operation report through the door's reporter", () => {
  /** Lines every few tens of ms: the emulator's slow phases last hundreds. */
  const FAST = { firstMs: 30, everyMs: 60 };
  let fx: EmulatorFixture;
  const dirs: string[] = [];

  beforeAll(async () => {
    // The gateway answers 502 for the first half of the boot, then "up, agent not healthy".
    fx = await EmulatorFixture.start({ bootMs: 1_600, buildMs: 800, ingestMs: 30, verifyMs: 600 });
  });
  afterAll(async () => {
    await fx.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("an instance's create: the gateway's health, with the answers it saw, cleared before the create returns", async () => {
    const sink = recorder();
    const provider = fx.provider();
    const created = await reportingTo(new ProgressReporter(sink, FAST), () => provider.create({ template: "agent37-hermes" }));
    const health = sink.lines.filter((l) => l.startsWith("waiting for the gateway's health"));
    for (const line of health) expect(line).toMatch(/^waiting for the gateway's health \(\d+ s(, .+)?\)$/);
    expect(health).toContainEqual(expect.stringMatching(/, 502 container_\w+\)$/));
    expect(health).toContainEqual(expect.stringMatching(/, gateway up, hermes not healthy yet\)$/));
    // The gateway's answers come in order: the edge's 502 before the gateway's own.
    const firstUp = health.findIndex((l) => l.includes("gateway up"));
    expect(health.slice(firstUp).some((l) => l.includes("502"))).toBe(false);
    expect(sink.lines.at(-1)).toBe("");
    expect(JSON.stringify(sink.lines)).not.toContain(fx.key);
    await provider.delete(created.id, created.outs);
  });

  it("a template's build: the build's status", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "a37-progress-"));
    dirs.push(root);
    fs.writeFileSync(path.join(root, "Dockerfile"), "FROM scratch\nCOPY . /app\n");
    const provider = createTemplateProvider({
      settings: { apiUrl: fx.emu.url, apiKey: fx.key },
      env: {},
      timings: { buildPollIntervalMs: 20, maxBuildPollIntervalMs: 40, buildTimeoutMs: 20_000 },
    });
    const { inputs, failures } = await checkTemplateInputs({ name: "progress-app", build: { context: root }, defaultPort: 8000 });
    expect(failures).toEqual([]);
    const sink = recorder();
    const created = await reportingTo(new ProgressReporter(sink, FAST), () => provider.create(inputs ?? {}));
    expect(sink.lines).toContainEqual(expect.stringMatching(/^waiting for the template build of "progress-app" \(\d+ s, build \S+ building\)$/));
    expect(sink.lines.at(-1)).toBe("");
    await provider.delete(created.id, created.outs);
  });

  it("a domain's verification: the domain's status until it turns active", async () => {
    const connection = { settings: { apiUrl: fx.emu.url, apiKey: fx.key }, env: {} };
    const domains = createDomainProvider(connection);
    const added = await domains.create({ domain: "progress-wait.com" });
    const verification = createDomainVerificationProvider({ ...connection, timings: { firstPollMs: 20, maxPollMs: 40 } });
    const sink = recorder();
    const verified = await reportingTo(new ProgressReporter(sink, FAST), () => verification.create({ domain: "progress-wait.com" }));
    expect(verified.outs).toMatchObject({ status: "active" });
    expect(sink.lines).toContainEqual(expect.stringMatching(/^waiting for domain progress-wait\.com to verify \(\d+ s, pending\)$/));
    expect(sink.lines.at(-1)).toBe("");
    await domains.delete?.(added.id, added.outs);
  });
});
