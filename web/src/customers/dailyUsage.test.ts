import { describe, expect, it } from "vitest";
import { daysOfPeriod, mapBounded, seriesByMetric } from "./dailyUsage.ts";

describe("daily usage", () => {
  it("splits the period into the customer's days that have begun, labelled with local dates", () => {
    // Asia/Seoul: the November period starts Oct 31 15:00 UTC.
    const days = daysOfPeriod(
      { start: "2026-10-31T15:00:00.000Z", end: "2026-11-30T15:00:00.000Z", startDate: "2026-11-01" },
      new Date("2026-11-03T01:00:00Z"),
    );
    expect(days.map((d) => d.label)).toEqual(["2026-11-01", "2026-11-02", "2026-11-03"]);
    expect(days[0]).toEqual({
      label: "2026-11-01",
      from: "2026-10-31T15:00:00.000Z",
      to: "2026-11-01T15:00:00.000Z",
    });
  });

  it("keeps at most `limit` requests in flight and the results in order", async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5 * (8 - n)));
      inFlight--;
      return n * 10;
    });
    expect(results).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(peak).toBe(3);
  });

  it("builds per-metric series with running totals", () => {
    const days = [
      { label: "2026-11-01", from: "", to: "" },
      { label: "2026-11-02", from: "", to: "" },
    ];
    const series = seriesByMetric(days, [
      { from: "", to: "", metrics: [{ key: "calls", value: "5" }] },
      { from: "", to: "", metrics: [{ key: "calls", value: "7.5" }] },
    ]);
    expect(series).toEqual([
      {
        key: "calls",
        total: 12.5,
        points: [
          { day: "2026-11-01", value: 5, cumulative: 5, text: "5" },
          { day: "2026-11-02", value: 7.5, cumulative: 12.5, text: "7.5" },
        ],
      },
    ]);
  });
});
