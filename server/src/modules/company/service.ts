import { Decimal } from "@pricegraph/engine";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { conflict, notFound, validationFailed } from "../../http/errors.ts";
import { recordActivity } from "../activity/service.ts";
import {
  type CompanyProfileRow,
  companyProfileOf,
  insertTaxRate,
  type TaxRateRow,
  taxRateById,
  taxRatesOf,
  updateTaxRate,
  upsertCompanyProfile,
} from "./queries.ts";
import {
  type CompanyProfile,
  DEFAULT_PAYMENT_TERMS_DAYS,
  type PutCompanyProfile,
  type TaxRateDto,
} from "./schemas.ts";

export function toCompanyProfile(row: CompanyProfileRow | null): CompanyProfile {
  return {
    legalName: row?.legalName ?? "",
    address: row?.address ?? "",
    taxId: row?.taxId ?? null,
    logo: row?.logo ?? null,
    invoiceFooter: row?.invoiceFooter ?? "",
    paymentInstructions: row?.paymentInstructions ?? "",
    paymentTermsDays: row?.paymentTermsDays ?? DEFAULT_PAYMENT_TERMS_DAYS,
    defaultTaxRateId: row?.defaultTaxRateId ?? null,
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

export const toTaxRate = (row: TaxRateRow): TaxRateDto => ({
  id: row.id,
  name: row.name,
  percentage: new Decimal(row.percentage).toString(),
  createdAt: row.createdAt.toISOString(),
});

/** The tenant's company profile; a tenant that never set one gets the defaults (30 days, no tax). */
export async function getCompanyProfile(db: Db, tenantId: string): Promise<CompanyProfile> {
  return toCompanyProfile(await companyProfileOf(db, tenantId));
}

export async function putCompanyProfile(deps: Deps, caller: Caller, input: PutCompanyProfile) {
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    if (input.defaultTaxRateId && !(await taxRateById(db, caller.tenantId, input.defaultTaxRateId))) {
      throw validationFailed([{ path: "$.defaultTaxRateId", message: "is not a tax rate of this tenant" }]);
    }
    const row = await upsertCompanyProfile(db, {
      tenantId: caller.tenantId,
      legalName: input.legalName,
      address: input.address,
      taxId: input.taxId || null,
      logo: input.logo ?? null,
      invoiceFooter: input.invoiceFooter,
      paymentInstructions: input.paymentInstructions,
      paymentTermsDays: input.paymentTermsDays,
      defaultTaxRateId: input.defaultTaxRateId ?? null,
      updatedAt: deps.clock(),
    });
    const profile = toCompanyProfile(row);
    // The logo can be large; the record keeps whether there is one, not its bytes.
    const object = { ...profile, logo: profile.logo ? "(image)" : null };
    await recordActivity(deps, db, caller, {
      type: "company_profile.updated",
      objectId: caller.tenantId,
      object,
    });
    return profile;
  });
}

export async function listTaxRates(db: Db, tenantId: string) {
  return { data: (await taxRatesOf(db, tenantId)).map(toTaxRate) };
}

const nameTaken = (name: string) =>
  conflict(`A tax rate named "${name}" already exists`, [{ path: "$.name", message: "already exists" }]);

export async function createTaxRate(deps: Deps, caller: Caller, input: { name: string; percentage: string }) {
  return deps.db.transaction(async (tx) => {
    const row = await insertTaxRate(tx as Db, {
      id: deps.ids("txr"),
      tenantId: caller.tenantId,
      name: input.name,
      percentage: input.percentage,
      createdAt: deps.clock(),
    });
    if (!row) throw nameTaken(input.name);
    const rate = toTaxRate(row);
    await recordActivity(deps, tx as Db, caller, {
      type: "tax_rate.created",
      objectId: row.id,
      object: rate,
    });
    return rate;
  });
}

/** Renames or re-rates a tax rate; invoices already finalized keep the name and percentage they were taxed at. */
export async function patchTaxRate(
  deps: Deps,
  caller: Caller,
  id: string,
  input: { name?: string; percentage?: string },
) {
  return deps.db.transaction(async (tx) => {
    const db = tx as Db;
    if (input.name) {
      const same = (await taxRatesOf(db, caller.tenantId)).find((r) => r.name === input.name && r.id !== id);
      if (same) throw nameTaken(input.name);
    }
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
    // Nothing to change: answer the rate as it is, and record no change.
    const row =
      Object.keys(changes).length === 0
        ? (await taxRatesOf(db, caller.tenantId)).find((r) => r.id === id)
        : await updateTaxRate(db, caller.tenantId, id, changes);
    if (!row) throw notFound("Tax rate", [{ path: "params.id", message: `no tax rate ${id}` }]);
    const rate = toTaxRate(row);
    if (Object.keys(changes).length === 0) return rate;
    await recordActivity(deps, db, caller, { type: "tax_rate.updated", objectId: row.id, object: rate });
    return rate;
  });
}
