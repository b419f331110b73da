import { describe, expect, it } from "vitest";
import { addDays, computeInvoiceTax, daysBetween, localDate } from "./tax.ts";

const vat = { id: "tax_vat", name: "VAT", percentage: "20" };
const reduced = { id: "tax_red", name: "Reduced VAT", percentage: "5.5" };

describe("invoice tax", () => {
  it("rounds a JPY tax to whole yen, half away from zero, once per rate", () => {
    // 1,235 × 10% = 123.5 → 124; per line it would be 61.7→62 + 61.8→62 = 124 too, so use three lines:
    // 1,005 × 8% = 80.4; per-line rounding of 335 × 8% = 26.8 → 27 three times would give 81.
    const consumption = { id: "tax_jp", name: "Consumption tax", percentage: "8" };
    const tax = computeInvoiceTax("JPY", [
      { amount: "335", rate: consumption },
      { amount: "335", rate: consumption },
      { amount: "335", rate: consumption },
    ]);
    expect(tax).toEqual({
      subtotal: "1005",
      lines: [
        {
          taxRateId: "tax_jp",
          name: "Consumption tax",
          percentage: "8",
          taxableAmount: "1005",
          amount: "80",
        },
      ],
      tax: "80",
      total: "1085",
    });
    expect(
      computeInvoiceTax("JPY", [{ amount: "1235", rate: { ...consumption, percentage: "10" } }]).tax,
    ).toBe("124");
  });

  it("keeps three decimals for KWD and writes one line per rate", () => {
    const tax = computeInvoiceTax("KWD", [
      { amount: "10.125", rate: vat },
      { amount: "3.333", rate: reduced },
      { amount: "1.000", rate: null },
    ]);
    // 10.125 × 20% = 2.025; 3.333 × 5.5% = 0.183315 → 0.183
    expect(tax.lines.map((l) => [l.name, l.taxableAmount, l.amount])).toEqual([
      ["VAT", "10.125", "2.025"],
      ["Reduced VAT", "3.333", "0.183"],
    ]);
    expect(tax).toMatchObject({ subtotal: "14.458", tax: "2.208", total: "16.666" });
  });

  it("taxes a USD half cent up and an exempt invoice not at all", () => {
    expect(computeInvoiceTax("USD", [{ amount: "0.25", rate: { ...vat, percentage: "10" } }])).toMatchObject({
      tax: "0.03",
      total: "0.28",
    });
    expect(computeInvoiceTax("USD", [{ amount: "100.00", rate: null }])).toEqual({
      subtotal: "100.00",
      lines: [],
      tax: "0.00",
      total: "100.00",
    });
  });
});

describe("dates", () => {
  it("adds calendar days across month and year ends, and takes the date in the customer's zone", () => {
    expect(addDays("2025-01-31", 30)).toBe("2025-03-02");
    expect(addDays("2024-12-15", 30)).toBe("2025-01-14");
    expect(daysBetween("2025-01-01", "2025-03-01")).toBe(59);
    expect(localDate(new Date("2025-03-01T02:00:00Z"), "America/New_York")).toBe("2025-02-28");
    expect(localDate(new Date("2025-03-01T02:00:00Z"), "Asia/Tokyo")).toBe("2025-03-01");
  });
});
