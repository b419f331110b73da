import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client.ts";
import { csvRowErrors } from "../usage/CsvUpload.tsx";
import { groupThousands, invoicePeriod, money, periodRange } from "./format.ts";

describe("money and dates as shown", () => {
  it("groups thousands by string manipulation, keeping every digit the API sent", () => {
    expect(groupThousands("1234567.8900")).toBe("1,234,567.8900");
    expect(groupThousands("-1000")).toBe("-1,000");
    expect(groupThousands("999.999999999999999999")).toBe("999.999999999999999999");
    expect(groupThousands("12345678901234567890.01")).toBe("12,345,678,901,234,567,890.01");
    expect(money("2595.25", "USD")).toBe("USD 2,595.25");
    expect(groupThousands("n/a")).toBe("n/a");
  });

  it("shows a period with its inclusive last day", () => {
    expect(periodRange("2026-10-01", "2026-11-01")).toBe("Oct 1, 2026 – Oct 31, 2026");
    expect(periodRange("2024-02-01", "2024-03-01")).toBe("Feb 1, 2024 – Feb 29, 2024");
    const dates = { periodStartDate: "2025-02-15", periodEndDate: "2025-02-15" };
    expect(invoicePeriod({ kind: "adjustment", ...dates })).toBe("Adjustments after Feb 14, 2025");
    expect(
      invoicePeriod({ kind: "period", periodStartDate: "2025-02-01", periodEndDate: "2025-02-15" }),
    ).toBe("Feb 1, 2025 – Feb 14, 2025");
  });

  it("reads CSV row errors from the API's details, sorted by row", () => {
    const error = new ApiError(400, "VALIDATION_FAILED", "The request is invalid", [
      { path: "row 5, timestamp", row: 5, column: "timestamp", message: "must be an ISO 8601 date-time" },
      { path: "row 1, id", row: 1, column: "id", message: "required column is missing" },
      { path: "row 3", row: 3, message: "has 2 cells, the header 4" },
    ] as never);
    expect(csvRowErrors(error)).toEqual([
      { row: 1, column: "id", message: "required column is missing" },
      { row: 3, column: null, message: "has 2 cells, the header 4" },
      { row: 5, column: "timestamp", message: "must be an ISO 8601 date-time" },
    ]);
    expect(csvRowErrors(new Error("x"))).toEqual([]);
  });
});
