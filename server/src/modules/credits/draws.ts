import { Decimal } from "@pricegraph/engine";

/**
 * Which grants pay for what, pure: draw order, balances usable at an instant, spreading a pool's use over its
 * grants and giving surplus back. Every amount drawn or returned is a whole number of the currency's minor
 * unit (a ledger never holds a fraction of a yen): see docs/billing.md, "Credit ledger".
 */

/** A credit grant with what is left of it. */
export interface GrantBalance {
  id: string;
  pool: string;
  position: number;
  expiresAt: Date | null;
  balance: Decimal;
}

/** Credit a line used from a pool (positive), already in the currency's minor unit. */
export interface CreditUse {
  lineIndex: number;
  pool: string;
  amount: Decimal;
}

export interface ComputedDraw {
  grantId: string;
  pool: string;
  /** Positive: the credit drawn (stored negative in the ledger); negative: credit returned to the grant. */
  amount: Decimal;
  /** Index into the computed lines. */
  lineIndex: number;
}

/** Credit a period's lines drew from one grant, net of returns. */
export interface PriorDraw {
  grantId: string;
  pool: string;
  nodeId: string;
  amount: Decimal;
}

/** The order grants are drawn in: earliest expiry first, then their position on the contract. */
export function drawOrder(a: GrantBalance, b: GrantBalance): number {
  const ea = a.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const eb = b.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY;
  return ea - eb || a.position - b.position || (a.id < b.id ? -1 : 1);
}

/** Grants usable on an invoice billed at `at`: not expired by then, with something left, in draw order. */
export function usableGrants(grants: readonly GrantBalance[], at: Date): GrantBalance[] {
  return grants
    .filter((g) => g.balance.gt(0) && (g.expiresAt === null || g.expiresAt.getTime() > at.getTime()))
    .sort(drawOrder);
}

/** What a grant can give in whole minor units (a fraction below the minor unit is never drawn). */
const drawable = (balance: Decimal, minorUnits: number) =>
  balance.toDecimalPlaces(minorUnits, Decimal.ROUND_DOWN);

/**
 * The balance of each pool over the given grants (pools without a grant are 0), in whole minor units: what the
 * engine may apply. Then a credit either covers a whole charge (drawn rounded half up, as the line rounds) or
 * stops at a whole balance, so a line's amount plus its draw is always the charge rounded.
 */
export function poolBalances(
  pools: readonly string[],
  grants: readonly GrantBalance[],
  minorUnits: number,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pool of pools) {
    out[pool] = grants
      .filter((g) => g.pool === pool)
      .reduce((sum, g) => sum.plus(drawable(g.balance, minorUnits)), new Decimal(0))
      .toString();
  }
  return out;
}

/**
 * Spreads each pool's use over grants, earliest expiry first, lowering their balances in place. Uses are already
 * whole minor units; a grant gives at most its balance rounded down to the minor unit, so no draw is a fraction
 * of the minor unit and none exceeds the balance or the use.
 */
export function allocateDraws(
  uses: readonly CreditUse[],
  grants: readonly GrantBalance[],
  lineOffset: number,
  minorUnits: number,
): ComputedDraw[] {
  const draws: ComputedDraw[] = [];
  for (const use of uses) {
    let left = use.amount;
    for (const grant of grants) {
      if (left.lte(0)) break;
      if (grant.pool !== use.pool) continue;
      const take = Decimal.min(left, drawable(grant.balance, minorUnits));
      if (take.lte(0)) continue;
      grant.balance = grant.balance.minus(take);
      left = left.minus(take);
      draws.push({ grantId: grant.id, pool: use.pool, amount: take, lineIndex: use.lineIndex + lineOffset });
    }
  }
  return draws;
}

/**
 * Credit a period drew beyond what its recomputation uses goes back to the grants it came from, in the reverse
 * of the order they were drawn in, as negative draws on the line that drew it (`lineOf` finds that line's index
 * among the recomputed lines). Late events can lower what a period costs: a `latest` or `min` metric.
 */
export function returnSurplus(
  prior: readonly PriorDraw[],
  drawnBefore: ReadonlyMap<string, Decimal>,
  usedByPool: ReadonlyMap<string, Decimal>,
  grants: readonly GrantBalance[],
  lineOf: (nodeId: string) => number,
): ComputedDraw[] {
  const returns: ComputedDraw[] = [];
  const byId = new Map(grants.map((g) => [g.id, g]));
  for (const [pool, before] of drawnBefore) {
    let surplus = before.minus(usedByPool.get(pool) ?? 0);
    const sources = prior
      .filter((d) => d.pool === pool && d.amount.gt(0) && byId.has(d.grantId))
      .sort((a, b) => drawOrder(byId.get(b.grantId)!, byId.get(a.grantId)!));
    for (const source of sources) {
      if (surplus.lte(0)) break;
      const back = Decimal.min(surplus, source.amount);
      surplus = surplus.minus(back);
      const grant = byId.get(source.grantId)!;
      grant.balance = grant.balance.plus(back);
      returns.push({ grantId: grant.id, pool, amount: back.negated(), lineIndex: lineOf(source.nodeId) });
    }
  }
  return returns;
}

/** Grant balance rows (as the ledger query answers them) per contract, for drawing. */
export function grantStates(
  rows: readonly {
    id: string;
    contractId: string;
    pool: string;
    position: number;
    expiresAt: Date | null;
    balance: string;
  }[],
): Map<string, GrantBalance[]> {
  const out = new Map<string, GrantBalance[]>();
  for (const row of rows) {
    let list = out.get(row.contractId);
    if (!list) {
      list = [];
      out.set(row.contractId, list);
    }
    list.push({
      id: row.id,
      pool: row.pool,
      position: row.position,
      expiresAt: row.expiresAt,
      balance: new Decimal(row.balance),
    });
  }
  return out;
}
