import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, createTestTenant, type TestContext } from "../../../test/helpers.ts";
import { queryRows } from "../../db/index.ts";
import { journalEntries } from "../../db/schema/index.ts";
import { postPendingActivity } from "./journal.ts";
import { startJournalWorker } from "./journal-worker.ts";
import { type Books, draftInvoice, finalize, openBooks, record } from "./test-books.ts";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx?.close());

/** The invoice entries of the books' tenant, read from the table (the API would catch up with the log first). */
async function invoiceEntries(books: Books) {
  return books.deps.db
    .select({ sourceId: journalEntries.sourceId })
    .from(journalEntries)
    .where(and(eq(journalEntries.tenantId, books.t.tenantId), eq(journalEntries.kind, "invoice")));
}

async function finalizedInvoices(books: Books, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const id = await draftInvoice(books, [
      { product: "API", amount: `${10 + i}.00`, start: "2025-02-01", end: "2025-03-01" },
    ]);
    await finalize(books, id);
    ids.push(id);
  }
  return ids;
}

describe("the journal's pg-boss job", () => {
  it("posts what the activity log holds by itself, with no report read to catch it up", async () => {
    ctx.clock.set("2025-03-02T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const [id] = await finalizedInvoices(books, 1);
    expect(await invoiceEntries(books)).toEqual([]);
    const failures: unknown[] = [];
    const worker = await startJournalWorker(books.deps, (error) => failures.push(error));
    try {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (await invoiceEntries(books)).length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      await worker.stop();
    }
    expect(failures).toEqual([]);
    expect(await invoiceEntries(books)).toEqual([{ sourceId: id }]);
  }, 60_000);

  it("posts each record exactly once with the job and several consumers running at once", async () => {
    ctx.clock.set("2025-03-02T10:00:00Z");
    const books = await openBooks(ctx, await createTestTenant(ctx));
    const ids = await finalizedInvoices(books, 6);
    // The same change announced twice (a retry upstream).
    await record(books, "invoice.finalized", ids[0], {});
    const worker = await startJournalWorker(books.deps);
    try {
      // Small batches, so the consumers' transactions interleave on the journal's position.
      await Promise.all([
        postPendingActivity(books.deps, 2),
        postPendingActivity(books.deps, 3),
        postPendingActivity(books.deps, 2),
      ]);
    } finally {
      await worker.stop();
    }
    const entries = (await invoiceEntries(books)).map((e) => e.sourceId).sort();
    expect(entries).toEqual([...ids].sort());
    // The position is past every record of the tenant: nothing is left to post, nothing posts again.
    const [{ behind }] = await queryRows<{ behind: number }>(
      books.deps.db,
      sql`select count(*)::int as behind from activity a, journal_position p
          where p.consumer = 'journal' and a.tenant_id = ${books.t.tenantId} and (a.txid, a.seq) > (p.txid, p.seq)`,
    );
    expect(behind).toBe(0);
    await postPendingActivity(books.deps);
    expect((await invoiceEntries(books)).length).toBe(ids.length);
  }, 60_000);
});
