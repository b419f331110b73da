import { describe, expect, it } from "vitest";
import { agingCsv } from "./agingCsv.ts";

describe("aging CSV", () => {
  it("writes a row per customer and a total per currency, quoting names with commas", () => {
    const buckets = {
      current: "1.00",
      days1to30: "2.00",
      days31to60: "0.00",
      days61to90: "0.00",
      over90: "3.00",
      total: "6.00",
    };
    const csv = agingCsv({
      asOf: "2025-06-02",
      currencies: [
        {
          currency: "USD",
          totals: buckets,
          customers: [{ customerId: "cus_1", name: "Acme, Inc.", ...buckets }],
        },
      ],
    });
    expect(csv.trim().split("\n")).toEqual([
      "as_of,currency,customer,customer_id,current,days1to30,days31to60,days61to90,over90,total",
      '2025-06-02,USD,"Acme, Inc.",cus_1,1.00,2.00,0.00,0.00,3.00,6.00',
      "2025-06-02,USD,Total,,1.00,2.00,0.00,0.00,3.00,6.00",
    ]);
  });
});
