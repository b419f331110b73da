import type { Readable } from "node:stream";
import {
  type ArchivedFilter,
  type CreateCustomer,
  type Customer,
  createCustomerBody,
  type UpdateCustomer,
} from "@pricegraph/shared/api";
import type { Caller, Deps } from "../../context.ts";
import type { Db } from "../../db/index.ts";
import { canonicalHeader, csvDetail, csvRows } from "../../http/csv.ts";
import { conflict, type ErrorDetail, notFound, validationFailed } from "../../http/errors.ts";
import { decodeCursor, toPage } from "../../http/pagination.ts";
import { recordActivity } from "../activity/service.ts";
import { setParent } from "./hierarchy.ts";
import {
  type CustomerRow,
  customerById,
  existingExternalIds,
  insertCustomers,
  listCustomers,
  updateCustomer,
} from "./queries.ts";

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    externalId: row.externalId,
    name: row.name,
    email: row.email,
    timezone: row.timezone,
    currency: row.currency,
    parentId: row.parentId,
    createdAt: row.createdAt.toISOString(),
    archivedAt: row.archivedAt?.toISOString() ?? null,
  };
}

function newRow(deps: Deps, tenantId: string, input: CreateCustomer, now: Date) {
  return {
    id: deps.ids("cus"),
    tenantId,
    externalId: input.externalId,
    name: input.name,
    email: input.email ?? null,
    timezone: input.timezone,
    currency: input.currency ?? null,
    parentId: input.parentId ?? null,
    createdAt: now,
    updatedAt: now,
  };
}

export async function createCustomer(deps: Deps, caller: Caller, input: CreateCustomer): Promise<Customer> {
  return deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const [row] = await insertCustomers(tx as Db, [newRow(deps, caller.tenantId, input, now)]);
    if (!row) {
      throw conflict(`A customer with external id "${input.externalId}" already exists`, [
        { path: "$.externalId", message: "already exists" },
      ]);
    }
    if (row.parentId) {
      await setParent(deps, tx as Db, caller.tenantId, { id: row.id, parentId: null }, row.parentId, now, {
        isNew: true,
      });
    }
    const customer = toCustomer(row);
    await recordActivity(deps, tx as Db, caller, {
      type: "customer.created",
      objectId: row.id,
      object: customer,
    });
    return customer;
  });
}

export async function requireCustomer(
  db: Db,
  tenantId: string,
  id: string,
  path = "params.id",
): Promise<CustomerRow> {
  const row = await customerById(db, tenantId, id);
  if (!row) throw notFound("Customer", [{ path, message: `no customer ${id}` }]);
  return row;
}

export async function getCustomer(deps: Deps, tenantId: string, id: string): Promise<Customer> {
  return toCustomer(await requireCustomer(deps.db, tenantId, id));
}

export async function patchCustomer(
  deps: Deps,
  caller: Caller,
  id: string,
  input: UpdateCustomer,
): Promise<Customer> {
  const now = deps.clock();
  const changes: Partial<CustomerRow> = { updatedAt: now };
  if (input.name !== undefined) changes.name = input.name;
  if (input.email !== undefined) changes.email = input.email;
  if (input.timezone !== undefined) changes.timezone = input.timezone;
  if (input.currency !== undefined) changes.currency = input.currency;
  return deps.db.transaction(async (tx) => {
    if (input.parentId !== undefined) {
      const current = await requireCustomer(tx as Db, caller.tenantId, id);
      await setParent(deps, tx as Db, caller.tenantId, current, input.parentId, now, { isNew: false });
      changes.parentId = input.parentId;
    }
    const row = await updateCustomer(tx as Db, caller.tenantId, id, changes);
    if (!row) throw notFound("Customer", [{ path: "params.id", message: `no customer ${id}` }]);
    const customer = toCustomer(row);
    await recordActivity(deps, tx as Db, caller, {
      type: "customer.updated",
      objectId: row.id,
      object: customer,
    });
    return customer;
  });
}

/**
 * Archiving hides a customer from listings and pickers; contracts, usage and invoices stay, and billing goes
 * on for contracts still running. Archiving an archived customer (or the reverse) answers it unchanged.
 */
export async function setCustomerArchived(
  deps: Deps,
  caller: Caller,
  id: string,
  archived: boolean,
): Promise<Customer> {
  return deps.db.transaction(async (tx) => {
    const current = await requireCustomer(tx as Db, caller.tenantId, id);
    if ((current.archivedAt !== null) === archived) return toCustomer(current);
    const now = deps.clock();
    const row = await updateCustomer(tx as Db, caller.tenantId, id, {
      archivedAt: archived ? now : null,
      updatedAt: now,
    });
    if (!row) throw notFound("Customer", [{ path: "params.id", message: `no customer ${id}` }]);
    const customer = toCustomer(row);
    await recordActivity(deps, tx as Db, caller, {
      type: archived ? "customer.archived" : "customer.unarchived",
      objectId: row.id,
      object: customer,
    });
    return customer;
  });
}

export async function pageOfCustomers(
  deps: Deps,
  tenantId: string,
  query: {
    search?: string;
    externalId?: string;
    parentId?: string;
    archived?: ArchivedFilter;
    limit: number;
    cursor?: string;
  },
) {
  const after = decodeCursor(query.cursor, 2) as [string, string] | null;
  const rows = await listCustomers(deps.db, tenantId, { ...query, after });
  return toPage(rows, query.limit, (row) => [row.createdAt.toISOString(), row.id], toCustomer);
}

const CSV_COLUMNS: Record<string, keyof CreateCustomer> = {
  externalid: "externalId",
  name: "name",
  email: "email",
  timezone: "timezone",
  currency: "currency",
};
const MAX_IMPORT_ROWS = 50_000;

/** All-or-nothing import: every bad row is reported (row number and column) and nothing is stored. */
export async function importCustomersCsv(deps: Deps, caller: Caller, body: Readable) {
  const problems: ErrorDetail[] = [];
  const parsed: { row: number; input: CreateCustomer }[] = [];
  let columns: (keyof CreateCustomer | null)[] = [];
  let headerNames: string[] = [];
  for await (const { row, fields } of csvRows(body)) {
    if (row === 1) {
      headerNames = fields;
      columns = fields.map((name) => CSV_COLUMNS[canonicalHeader(name)] ?? null);
      fields.forEach((name, i) => {
        if (!columns[i])
          problems.push(
            csvDetail(1, name, "unknown column (expected externalId, name, email, timezone, currency)"),
          );
      });
      for (const required of ["externalId", "name"] as const) {
        if (!columns.includes(required)) problems.push(csvDetail(1, required, "required column is missing"));
      }
      if (problems.length) break;
      continue;
    }
    if (row - 1 > MAX_IMPORT_ROWS) {
      problems.push(csvDetail(row, null, `at most ${MAX_IMPORT_ROWS} customers per import`));
      break;
    }
    const record: Record<string, string> = {};
    fields.forEach((value, i) => {
      const column = columns[i];
      if (column && value !== "") record[column] = value;
    });
    if (fields.length > columns.length)
      problems.push(csvDetail(row, null, `has ${fields.length} cells, the header ${columns.length}`));
    const result = createCustomerBody.safeParse(record);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const column = String(issue.path[0] ?? "");
        const header = headerNames[columns.indexOf(column as keyof CreateCustomer)] ?? column;
        problems.push(csvDetail(row, header || null, issue.message));
      }
    } else {
      parsed.push({ row, input: result.data });
    }
  }
  if (headerNames.length === 0) problems.push(csvDetail(1, null, "the CSV is empty (expected a header row)"));

  const seen = new Map<string, number>();
  for (const { row, input } of parsed) {
    const first = seen.get(input.externalId);
    if (first !== undefined) problems.push(csvDetail(row, "externalId", `duplicates row ${first}`));
    else seen.set(input.externalId, row);
  }
  const existing = await existingExternalIds(deps.db, caller.tenantId, [...seen.keys()]);
  for (const { row, input } of parsed) {
    if (existing.has(input.externalId) && seen.get(input.externalId) === row) {
      problems.push(
        csvDetail(row, "externalId", `a customer with external id "${input.externalId}" already exists`),
      );
    }
  }
  if (problems.length) {
    problems.sort((a, b) => Number(a.row) - Number(b.row));
    throw validationFailed(problems, "The CSV has invalid rows; nothing was imported");
  }

  const now = deps.clock();
  const rows = await deps.db.transaction(async (tx) => {
    const inserted: CustomerRow[] = [];
    for (let i = 0; i < parsed.length; i += 1000) {
      const chunk = parsed.slice(i, i + 1000).map(({ input }) => newRow(deps, caller.tenantId, input, now));
      inserted.push(...(await insertCustomers(tx as Db, chunk)));
    }
    // A concurrent request took an external id between the check and the insert: undo everything.
    if (inserted.length !== parsed.length)
      throw conflict("Some external ids were created concurrently; nothing was imported");
    await recordActivity(
      deps,
      tx as Db,
      caller,
      inserted.map((row) => ({
        type: "customer.created" as const,
        objectId: row.id,
        object: toCustomer(row),
      })),
    );
    return inserted;
  });
  return { imported: rows.length, data: rows.map(toCustomer) };
}
