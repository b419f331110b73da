import type { AccountRole, AccountType } from "@pricegraph/shared/api";
import type { Deps } from "../../context.ts";
import { systemCaller } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { recordActivity } from "../activity/service.ts";
import { type AccountRow, accountsOf, insertAccounts } from "./queries.ts";

type FixedRole = Exclude<AccountRole, "revenue_product">;

/** The default chart of accounts, created for a tenant the first time its books are touched. Editable. */
export const defaultChart: readonly { code: string; name: string; type: AccountType; role: FixedRole }[] = [
  { code: "1000", name: "Cash", type: "asset", role: "cash" },
  { code: "1100", name: "Accounts receivable", type: "asset", role: "receivables" },
  { code: "2100", name: "Deferred revenue", type: "liability", role: "deferred_revenue" },
  { code: "2200", name: "Sales tax payable", type: "liability", role: "tax_payable" },
  { code: "2300", name: "Customer credit balances", type: "liability", role: "credit_liability" },
  {
    code: "2400",
    name: "Customer balances (unapplied payments)",
    type: "liability",
    role: "customer_balance",
  },
  { code: "4000", name: "Revenue", type: "revenue", role: "revenue" },
  { code: "6100", name: "Promotional credits", type: "expense", role: "promotional_credits" },
];

/** First code of the per-product revenue accounts, and the step between them (4010, 4020, …). */
const PRODUCT_CODE_BASE = 4010;
const PRODUCT_CODE_STEP = 10;

/** A tenant's chart, loaded once per posting transaction; product accounts are added as products appear. */
export class Chart {
  private constructor(
    private readonly deps: Pick<Deps, "clock" | "ids">,
    private readonly tenantId: string,
    private accounts: AccountRow[],
  ) {}

  static async load(deps: Pick<Deps, "clock" | "ids">, tx: Db, tenantId: string): Promise<Chart> {
    let accounts = await accountsOf(tx, tenantId);
    if (!accounts.some((a) => a.role === "receivables")) {
      const now = deps.clock();
      await insertAccounts(
        tx,
        defaultChart
          .filter((d) => !accounts.some((a) => a.role === d.role || a.code === d.code))
          .map((d) => ({
            ...d,
            id: deps.ids("acct"),
            tenantId,
            product: null,
            createdAt: now,
            updatedAt: now,
          })),
      );
      accounts = await accountsOf(tx, tenantId);
    }
    return new Chart(deps, tenantId, accounts);
  }

  byId(id: string): AccountRow | undefined {
    return this.accounts.find((a) => a.id === id);
  }

  /** The account of a fixed role (receivables, deferred revenue, …). */
  role(role: FixedRole): AccountRow {
    const account = this.accounts.find((a) => a.role === role);
    if (!account) throw new Error(`The chart of accounts has no ${role} account`);
    return account;
  }

  /** The revenue account of a product already in the chart (`revenue` creates it). */
  knownRevenue(product: string): AccountRow | undefined {
    return this.accounts.find((a) => a.role === "revenue_product" && a.product === product);
  }

  /** The revenue account of a product, created (4010, 4020, …) the first time the product is booked. */
  async revenue(tx: Db, product: string): Promise<AccountRow> {
    const found = this.knownRevenue(product);
    if (found) return found;
    const codes = new Set(this.accounts.map((a) => a.code));
    let code = PRODUCT_CODE_BASE;
    while (codes.has(String(code))) code += PRODUCT_CODE_STEP;
    const now = this.deps.clock();
    const row: AccountRow = {
      id: this.deps.ids("acct"),
      tenantId: this.tenantId,
      code: String(code),
      name: `Revenue — ${product}`,
      type: "revenue",
      role: "revenue_product",
      product,
      createdAt: now,
      updatedAt: now,
    };
    await insertAccounts(tx, [row]);
    await recordActivity(this.deps, tx, systemCaller(this.tenantId, "journal"), {
      type: "account.created",
      objectId: row.id,
      object: toAccount(row),
    });
    this.accounts.push(row);
    return row;
  }
}

export function toAccount(row: AccountRow) {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    type: row.type,
    role: row.role,
    product: row.product,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
