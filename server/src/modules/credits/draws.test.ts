import { Decimal } from "@pricegraph/engine";
import { describe, expect, it } from "vitest";
import { allocateDraws, type GrantBalance, usableGrants } from "./draws.ts";

const grant = (
  id: string,
  balance: string,
  position: number,
  expiresAt: string | null = null,
): GrantBalance => ({
  id,
  pool: "promo",
  position,
  expiresAt: expiresAt ? new Date(expiresAt) : null,
  balance: new Decimal(balance),
});
const use = (amount: string) => ({ lineIndex: 0, pool: "promo", amount: new Decimal(amount) });
const amounts = (draws: ReturnType<typeof allocateDraws>) =>
  draws.map((d) => [d.grantId, d.amount.toString()]);

describe("allocateDraws", () => {
  it("draws the earliest-expiring grant first, then by position", () => {
    const grants = usableGrants(
      [grant("b", "5", 0), grant("a", "3", 1, "2025-06-01T00:00:00Z")],
      new Date("2025-02-01T00:00:00Z"),
    );
    expect(amounts(allocateDraws([use("7")], grants, 0, 2))).toEqual([
      ["a", "3"],
      ["b", "4"],
    ]);
    expect(grants.map((g) => g.balance.toString())).toEqual(["0", "1"]);
  });

  it.each([
    // minor units, grant balances, use → draws
    [0, ["10"], "2", [["g0", "2"]]],
    [
      0,
      ["1.5", "10"],
      "3",
      [
        ["g0", "1"],
        ["g1", "2"],
      ],
    ],
    [
      3,
      ["1.2345", "10"],
      "2.333",
      [
        ["g0", "1.234"],
        ["g1", "1.099"],
      ],
    ],
    [0, ["0.4"], "1", []],
    [2, ["0.999"], "5", [["g0", "0.99"]]],
  ] as const)(
    "in %i minor units, from %j, a use of %s draws %j: whole minor units, never above a balance",
    (minor, balances, wanted, expected) => {
      const grants = balances.map((b, i) => grant(`g${i}`, b, i));
      const draws = allocateDraws([use(wanted)], grants, 0, minor);
      expect(amounts(draws)).toEqual(expected);
      for (const draw of draws) expect(draw.amount.decimalPlaces()).toBeLessThanOrEqual(minor);
      const total = draws.reduce((sum, d) => sum.plus(d.amount), new Decimal(0));
      expect(total.lte(wanted)).toBe(true);
      for (const g of grants) expect(g.balance.gte(0)).toBe(true);
    },
  );
});
