import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { BillingPeriod } from "./api/enums.ts";
import {
  formatLocalDate,
  isSupportedDate,
  LAST_SUPPORTED_DATE,
  localDateOf,
  startOfLocalDay,
} from "./local-dates.ts";
import {
  contractPeriods,
  nearestPeriod,
  type Period,
  periodAfter,
  periodContaining,
  periodHoldingDate,
  periodStartingAt,
  periodsEndedBy,
} from "./periods.ts";

const take = (terms: Parameters<typeof contractPeriods>[0], n: number): Period[] => {
  const out: Period[] = [];
  for (const p of contractPeriods(terms)) {
    out.push(p);
    if (out.length === n) break;
  }
  return out;
};

describe("calendar periods", () => {
  it("a contract starting Jan 15 serves 17/31 of January, then whole months", () => {
    const [jan, feb, mar] = take({ startDate: "2026-01-15", billingPeriod: "monthly", timezone: "UTC" }, 3);
    expect(jan).toMatchObject({
      startDate: "2026-01-15",
      endDate: "2026-02-01",
      daysServed: 17,
      daysInPeriod: 31,
    });
    expect(jan.start.toISOString()).toBe("2026-01-15T00:00:00.000Z");
    expect(jan.end.toISOString()).toBe("2026-02-01T00:00:00.000Z");
    expect(jan.proration).toMatch(/^0\.5483870967741935483870967/);
    expect(feb).toMatchObject({
      startDate: "2026-02-01",
      endDate: "2026-03-01",
      daysInPeriod: 28,
      proration: "1",
    });
    expect(mar.daysInPeriod).toBe(31);
  });

  it("leap February has 29 days; a start on Feb 29 serves 1/29", () => {
    const [feb] = take({ startDate: "2028-02-29", billingPeriod: "monthly", timezone: "UTC" }, 1);
    expect(feb).toMatchObject({ daysServed: 1, daysInPeriod: 29, endDate: "2028-03-01" });
    const [feb2, mar] = take({ startDate: "2028-02-01", billingPeriod: "monthly", timezone: "UTC" }, 2);
    expect(feb2.proration).toBe("1");
    expect(mar.startDate).toBe("2028-03-01");
  });

  it("month ends: a start on the 31st serves one day and periods follow calendar months of 28–31 days", () => {
    const periods = take({ startDate: "2026-01-31", billingPeriod: "monthly", timezone: "UTC" }, 13);
    expect(periods[0]).toMatchObject({ daysServed: 1, daysInPeriod: 31 });
    expect(periods.slice(1).map((p) => p.daysInPeriod)).toEqual([
      28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31,
    ]);
  });

  it("quarterly and yearly periods align on calendar quarters and years", () => {
    const [q1, q2] = take({ startDate: "2026-02-15", billingPeriod: "quarterly", timezone: "UTC" }, 2);
    expect(q1).toMatchObject({
      periodStartDate: "2026-01-01",
      startDate: "2026-02-15",
      endDate: "2026-04-01",
      daysServed: 45,
      daysInPeriod: 90,
    });
    expect(q2).toMatchObject({ startDate: "2026-04-01", endDate: "2026-07-01", daysInPeriod: 91 });
    const [y1, y2] = take({ startDate: "2027-12-31", billingPeriod: "yearly", timezone: "UTC" }, 2);
    expect(y1).toMatchObject({ daysServed: 1, daysInPeriod: 365 });
    expect(y2).toMatchObject({ startDate: "2028-01-01", daysInPeriod: 366 });
  });

  it("an end date makes the last period partial (end date inclusive) and stops the sequence", () => {
    const periods = [
      ...contractPeriods({
        startDate: "2026-01-15",
        endDate: "2026-03-10",
        billingPeriod: "monthly",
        timezone: "UTC",
      }),
    ];
    expect(periods.map((p) => [p.startDate, p.endDate, p.daysServed, p.daysInPeriod, p.last])).toEqual([
      ["2026-01-15", "2026-02-01", 17, 31, false],
      ["2026-02-01", "2026-03-01", 28, 28, false],
      ["2026-03-01", "2026-03-11", 10, 31, true],
    ]);
    const single = [
      ...contractPeriods({
        startDate: "2026-05-10",
        endDate: "2026-05-20",
        billingPeriod: "monthly",
        timezone: "UTC",
      }),
    ];
    expect(single).toHaveLength(1);
    expect(single[0]).toMatchObject({ daysServed: 11, daysInPeriod: 31, last: true });
  });

  it("boundaries are local midnights: UTC−12 and UTC+14", () => {
    const [west] = take({ startDate: "2026-03-01", billingPeriod: "monthly", timezone: "Etc/GMT+12" }, 1);
    expect(west.start.toISOString()).toBe("2026-03-01T12:00:00.000Z");
    expect(west.end.toISOString()).toBe("2026-04-01T12:00:00.000Z");
    const [east] = take(
      { startDate: "2026-03-01", billingPeriod: "monthly", timezone: "Pacific/Kiritimati" },
      1,
    );
    expect(east.start.toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(east.end.toISOString()).toBe("2026-03-31T10:00:00.000Z");
  });

  it("DST: a month containing a change is 1 h shorter or longer in UTC but counts its calendar days", () => {
    const [mar, apr] = take(
      { startDate: "2026-03-01", billingPeriod: "monthly", timezone: "America/New_York" },
      2,
    );
    expect(mar.start.toISOString()).toBe("2026-03-01T05:00:00.000Z");
    expect(mar.end.toISOString()).toBe("2026-04-01T04:00:00.000Z");
    expect(mar.daysInPeriod).toBe(31);
    expect(apr.start).toEqual(mar.end);
    const [oct, nov] = take(
      { startDate: "2026-10-01", billingPeriod: "monthly", timezone: "Europe/Paris" },
      2,
    );
    expect(oct.end.toISOString()).toBe("2026-10-31T23:00:00.000Z");
    expect(nov.start).toEqual(oct.end);
  });

  it("a day whose midnight is skipped by DST starts when the gap ends", () => {
    // America/Santiago springs forward at 00:00 → 01:00 on 2026-09-06.
    const start = startOfLocalDay({ year: 2026, month: 9, day: 6 }, "America/Santiago");
    expect(formatLocalDate(localDateOf(start, "America/Santiago"))).toBe("2026-09-06");
    expect(formatLocalDate(localDateOf(new Date(start.getTime() - 1000), "America/Santiago"))).toBe(
      "2026-09-05",
    );
  });

  it("periodsEndedBy returns the periods that ended at or before asOf", () => {
    const terms = { startDate: "2026-01-15", billingPeriod: "monthly" as const, timezone: "Europe/Berlin" };
    expect(periodsEndedBy(terms, new Date("2026-02-28T22:59:59Z"))).toHaveLength(1);
    expect(periodsEndedBy(terms, new Date("2026-02-28T23:00:00Z"))).toHaveLength(2);
    expect(periodsEndedBy(terms, new Date("2026-01-20T00:00:00Z"))).toHaveLength(0);
  });
});

const zones = [
  "Etc/GMT+12",
  "Pacific/Pago_Pago",
  "America/Los_Angeles",
  "America/New_York",
  "America/Santiago",
  "America/St_Johns",
  "UTC",
  "Europe/London",
  "Europe/Paris",
  "Asia/Beirut",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "Australia/Sydney",
  "Pacific/Chatham",
  "Pacific/Auckland",
  "Pacific/Tongatapu",
  "Pacific/Kiritimati",
];
const periodKinds: BillingPeriod[] = ["monthly", "quarterly", "yearly"];

describe("periods partition time (property)", () => {
  const dateArb = fc
    .date({
      min: new Date("2000-01-01T00:00:00Z"),
      max: new Date("2035-12-31T00:00:00Z"),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString().slice(0, 10));

  it("every instant after the start lies in exactly one period; periods are contiguous and prorations are days/days", () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.constantFrom(...zones),
        fc.constantFrom(...periodKinds),
        fc.integer({ min: 0, max: 3 * 366 * 86_400 }),
        (startDate, timezone, billingPeriod, offsetSeconds) => {
          const terms = { startDate, billingPeriod, timezone };
          const periods = take(
            terms,
            billingPeriod === "monthly" ? 40 : billingPeriod === "quarterly" ? 14 : 5,
          );
          // The first period starts at the local midnight of the start date.
          expect(formatLocalDate(localDateOf(periods[0].start, timezone))).toBe(startDate);
          for (let i = 1; i < periods.length; i++) {
            expect(periods[i].start.getTime()).toBe(periods[i - 1].end.getTime());
            expect(periods[i].proration).toBe("1");
            // A boundary is the first instant of its local day.
            const before = new Date(periods[i].start.getTime() - 1);
            expect(formatLocalDate(localDateOf(before, timezone)) < periods[i].startDate).toBe(true);
            expect(formatLocalDate(localDateOf(periods[i].start, timezone))).toBe(periods[i].startDate);
          }
          const instant = new Date(periods[0].start.getTime() + offsetSeconds * 1000);
          const holding = periods.filter((p) => p.start <= instant && instant < p.end);
          expect(holding).toHaveLength(1);
          expect(periodContaining(terms, instant)?.index).toBe(holding[0].index);
          // The instant's local date lies within the period's local dates.
          const local = formatLocalDate(localDateOf(instant, timezone));
          expect(local >= holding[0].startDate && local < holding[0].endDate).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("the supported date range bounds every computation", () => {
  const openEnded = { startDate: "2026-07-01", billingPeriod: "monthly" as const, timezone: "Europe/Paris" };

  it("an open-ended contract's periods stop with the period holding the last supported date", () => {
    const yearly = [...contractPeriods({ ...openEnded, billingPeriod: "yearly" })];
    expect(yearly).toHaveLength(9999 - 2026 + 1);
    expect(yearly.at(-1)).toMatchObject({ startDate: "9999-01-01", endDate: "10000-01-01", last: false });
  });

  it("finds the period of a far date at once, without walking the periods before it", () => {
    const far = periodContaining(openEnded, new Date("9999-12-31T12:00:00Z"));
    expect(far).toMatchObject({
      startDate: "9999-12-01",
      endDate: "10000-01-01",
      index: (9999 - 2026) * 12 + 5,
    });
    expect(periodHoldingDate(openEnded, { year: 9999, month: 12, day: 31 })?.index).toBe(far?.index);
    expect(periodContaining(openEnded, new Date("+010000-06-01T00:00:00Z"))).toBeNull();
    expect(periodContaining(openEnded, new Date("2026-06-30T12:00:00Z"))).toBeNull();
  });

  it("a contract that has not started reports its first period; one that ended, its last", () => {
    const now = new Date("2026-06-15T00:00:00Z");
    expect(nearestPeriod(openEnded, now)).toMatchObject({ index: 0, startDate: "2026-07-01" });
    const ended = { ...openEnded, startDate: "2025-01-10", endDate: "2025-03-05" };
    expect(nearestPeriod(ended, now)).toMatchObject({ index: 2, startDate: "2025-03-01", last: true });
    expect(nearestPeriod(ended, new Date("2025-02-10T00:00:00Z"))?.index).toBe(1);
  });

  it("refuses dates outside the range instead of looping", () => {
    expect(isSupportedDate(LAST_SUPPORTED_DATE)).toBe(true);
    expect(isSupportedDate("1969-12-31")).toBe(false);
    expect(isSupportedDate("2026-02-30")).toBe(false);
    expect(() => [...contractPeriods({ ...openEnded, startDate: "1969-12-01" })]).toThrow(RangeError);
  });

  it("periodStartingAt and periodAfter agree with the sequence (ended contracts, every zone)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 0, max: 1500 }),
        fc.constantFrom(...zones),
        fc.constantFrom(...periodKinds),
        (startDay, lengthDays, timezone, billingPeriod) => {
          const day = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
          const terms = {
            startDate: day(startDay),
            endDate: day(startDay + lengthDays),
            billingPeriod,
            timezone,
          };
          const periods = [...contractPeriods(terms)];
          periods.forEach((period, i) => {
            expect(periodStartingAt(terms, period.start)).toEqual(period);
            expect(periodAfter(terms, period)).toEqual(periods[i + 1] ?? null);
            expect(periodContaining(terms, new Date(period.end.getTime() - 1))).toEqual(period);
          });
          expect(periods.at(-1)?.last).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
