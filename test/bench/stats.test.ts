import { max, maxInWindow, median, percentile, pollingRate, ratio, round } from "../../bench/lib/stats";
import { runPool } from "../../bench/lib/pool";

describe("bench statistics", () => {
  it("takes the middle sample of an odd count as the median, whatever the order", () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it("averages the two middle samples of an even count", () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("reports NaN rather than a made-up figure when there are no samples", () => {
    expect(median([])).toBeNaN();
    expect(max([])).toBeNaN();
    expect(percentile([], 50)).toBeNaN();
  });

  it("takes percentiles by nearest rank", () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
  });

  it("expresses the ratio as baseline divided by ours", () => {
    expect(ratio(2, 10)).toBe(5);
  });

  it("gives no ratio when a side is missing or ours is zero", () => {
    expect(ratio(null, 10)).toBeNull();
    expect(ratio(3, null)).toBeNull();
    expect(ratio(0, 7)).toBeNull();
  });

  it("rounds to the requested decimals", () => {
    expect(round(1.23456, 3)).toBe(1.235);
    expect(round(1.5, 0)).toBe(2);
  });

  it("counts the most timestamps in any half-open window", () => {
    // Polls 500 ms apart: never more than 2 in a 1 s window, though 3 fall in a closed one.
    expect(maxInWindow([0, 500, 1000, 1500], 1000)).toBe(2);
    expect(maxInWindow([0, 100, 200, 1500], 1000)).toBe(3);
    expect(maxInWindow([], 1000)).toBe(0);
  });
});

describe("bench pool", () => {
  it("never has more than the limit in flight and keeps results in input order", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runPool([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      return n * 10;
    });
    expect(peak).toBe(2);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : null))).toEqual([50, 10, 40, 20, 30]);
  });

  it("settles every item even when some fail", async () => {
    const results = await runPool([1, 2, 3], 3, async (n) => {
      if (n === 2) throw new Error("two");
      return n;
    });
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  });
});

describe("polling rate", () => {
  it("reads polls 500 ms apart as 2 a second, not one poll too many", () => {
    expect(pollingRate([0, 500, 1000, 1500], 1.5)).toBe(2);
  });

  it("falls back to count over the wait with fewer than two polls", () => {
    expect(pollingRate([100], 4)).toBe(0.25);
    expect(pollingRate([], 4)).toBe(0);
  });
});
