import { describe, expect, it } from "vitest";
import { currentMonth, periodSoFar, seriesByMetric } from "./dailyUsage.ts";

describe("daily usage", () => {
  const november = { start: "2026-10-31T15:00:00.000Z", end: "2026-11-30T15:00:00.000Z" }; // Asia/Seoul

  it("asks for the part of the period that has begun", () => {
    expect(periodSoFar(november, new Date("2026-11-03T01:00:00Z"))).toEqual({
      from: "2026-10-31T15:00:00.000Z",
      to: "2026-11-03T01:00:00.000Z",
    });
    expect(periodSoFar(november, new Date("2027-01-01T00:00:00Z"))).toEqual({
      from: november.start,
      to: november.end,
    });
    expect(periodSoFar(november, new Date("2026-10-31T15:00:00Z"))).toBeNull();
  });

  it("without a contract, charts the customer's local month", () => {
    // 23:30 UTC on Oct 31 is already November in Seoul; November starts at Oct 31 15:00 UTC there.
    expect(currentMonth("Asia/Seoul", new Date("2026-10-31T23:30:00Z"))).toEqual({
      start: "2026-10-31T15:00:00.000Z",
      end: "2026-11-30T15:00:00.000Z",
      label: "Nov 1, 2026 – Nov 30, 2026",
    });
  });

  it("builds per-metric series with running totals", () => {
    const series = seriesByMetric([
      { date: "2026-11-01", metrics: [{ key: "calls", value: "5" }] },
      { date: "2026-11-02", metrics: [{ key: "calls", value: "7.5" }] },
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
