/**
 * The one backoff mechanism (provider/core/poll.ts): its waits are the ones the hand-written
 * loops had (250 ms doubling to 4 s between create attempts; ×1.5, rounded, capped between
 * probes), and a poll ends with its deadline's error or its signal's abort.
 */
import { Agent37DeadlineError } from "../../provider/core/errors";
import { UNKNOWN_OUTCOME_BACKOFF } from "../../provider/core/natural-create";
import { backoffDelay, poll } from "../../provider/core/poll";

describe("backoffDelay", () => {
  it("between create attempts: 250 ms, doubling, at most 4 s (what natural-create and create-token waited)", () => {
    for (let attempt = 1; attempt <= 8; attempt++) expect([attempt, backoffDelay(UNKNOWN_OUTCOME_BACKOFF, attempt)]).toEqual([attempt, Math.min(4_000, 250 * 2 ** (attempt - 1))]);
  });

  it("between probes: each wait 1.5 times the last, rounded, capped", () => {
    const b = { intervalMs: 500, maxIntervalMs: 3_000 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(b, n))).toEqual([500, 750, 1125, 1688, 2532, 3000]);
    expect([1, 2, 3].map((n) => backoffDelay({ ...b, factor: 1 }, n))).toEqual([500, 500, 500]);
  });
});

describe("poll", () => {
  it("returns the first answer that is done, probing again while it is not", async () => {
    const answers = ["pending", "pending", "active"];
    let probes = 0;
    const got = await poll(async () => answers[probes++] as string, (a) => a === "active", { intervalMs: 0, maxIntervalMs: 0, timeoutMs: 60_000, what: () => "x" });
    expect([got, probes]).toEqual(["active", 3]);
  });

  it("past the deadline: Agent37DeadlineError, or the error `expired` gives for the last answer", async () => {
    const probe = async () => "pending";
    await expect(poll(probe, () => false, { intervalMs: 0, maxIntervalMs: 0, timeoutMs: 0, what: (last) => `it (${last})` })).rejects.toBeInstanceOf(Agent37DeadlineError);
    await expect(poll(probe, () => false, { intervalMs: 0, maxIntervalMs: 0, timeoutMs: 0, what: () => "it", expired: (last) => new Error(`still ${last}`) })).rejects.toThrow("still pending");
  });

  it("an aborted signal ends the wait between probes", async () => {
    const abort = new AbortController();
    let probes = 0;
    const waiting = poll(
      async () => {
        probes++;
        abort.abort(new Error("cancelled"));
        return "pending";
      },
      () => false,
      { intervalMs: 60_000, maxIntervalMs: 60_000, timeoutMs: 600_000, what: () => "it", signal: abort.signal },
    );
    await expect(waiting).rejects.toThrow();
    expect(probes).toBe(1);
  });
});
