import { describe, expect, it } from "vitest";
import { addMonths, isCalendarDate, periodAt, startOfDay } from "./periods.ts";

describe("billing periods", () => {
  it("adds months clamping the anchor day", () => {
    expect(addMonths("2025-01-31", 1)).toBe("2025-02-28");
    expect(addMonths("2025-01-31", 2)).toBe("2025-03-31");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2025-11-15", 3)).toBe("2026-02-15");
  });

  it("finds local midnight across DST and offsets", () => {
    expect(startOfDay("2025-03-01", "UTC").toISOString()).toBe("2025-03-01T00:00:00.000Z");
    expect(startOfDay("2025-07-01", "Europe/Paris").toISOString()).toBe("2025-06-30T22:00:00.000Z");
    expect(startOfDay("2025-01-01", "Europe/Paris").toISOString()).toBe("2024-12-31T23:00:00.000Z");
    expect(startOfDay("2025-03-09", "America/New_York").toISOString()).toBe("2025-03-09T05:00:00.000Z");
    expect(startOfDay("2025-03-10", "America/New_York").toISOString()).toBe("2025-03-10T04:00:00.000Z");
  });

  it("picks the period holding the instant, anchored on the start date", () => {
    const monthly = { startDate: "2025-01-31", endDate: null, billingPeriod: "monthly" as const };
    expect(periodAt(monthly, new Date("2025-03-15T00:00:00Z"), "UTC")).toMatchObject({
      startDate: "2025-02-28",
      endDate: "2025-03-31",
      proration: "1",
    });
    expect(periodAt(monthly, new Date("2024-06-01T00:00:00Z"), "UTC").startDate).toBe("2025-01-31");
    const quarterly = { startDate: "2025-01-01", endDate: "2025-05-16", billingPeriod: "quarterly" as const };
    const q = periodAt(quarterly, new Date("2025-05-01T00:00:00Z"), "UTC");
    expect(q).toMatchObject({ startDate: "2025-04-01", endDate: "2025-05-16" });
    expect(q.proration).toBe("0.4945054945"); // 45 of 91 days
    // After the end: the last period.
    expect(periodAt(quarterly, new Date("2026-01-01T00:00:00Z"), "UTC").startDate).toBe("2025-04-01");
    // In the customer's zone, 23:30 UTC on Feb 27 is already Feb 28 in Tokyo: the new period.
    expect(periodAt(monthly, new Date("2025-02-27T23:30:00Z"), "Asia/Tokyo").startDate).toBe("2025-02-28");
    expect(periodAt(monthly, new Date("2025-02-27T23:30:00Z"), "UTC").startDate).toBe("2025-01-31");
    const yearly = { startDate: "2024-02-29", endDate: null, billingPeriod: "yearly" as const };
    expect(periodAt(yearly, new Date("2025-06-01T00:00:00Z"), "UTC")).toMatchObject({
      startDate: "2025-02-28",
      endDate: "2026-02-28",
    });
  });

  it("accepts only real dates", () => {
    expect(isCalendarDate("2025-02-28")).toBe(true);
    expect(isCalendarDate("2025-02-29")).toBe(false);
    expect(isCalendarDate("2025-2-1")).toBe(false);
    expect(isCalendarDate("1969-12-31")).toBe(false);
  });
});
