import type { Db } from "../../db/index.ts";
import { contractsNotLockedHere, lockContracts } from "../contracts/queries.ts";
import { contractsSharingDrafts } from "./queries.ts";

/**
 * The contract locks of a change that re-prices drafts. A consolidated draft bills several contracts, and its
 * re-pricing needs all of them locked; taking the change's own contract first and the draft's others later would
 * take locks out of the one sorted order and could deadlock with a billing round or a change of a sibling (see
 * docs/billing.md, "Lock order"). So the whole set is taken at once, sorted, before anything else.
 */

/** The set read before locking grew by the time the locks were held: lock the larger set instead. */
class LockSetGrew extends Error {
  constructor(readonly contractIds: string[]) {
    super("the contracts sharing drafts changed while their locks were taken");
  }
}

/**
 * Locks the given contracts and every contract their drafts bill, in one sorted call, and answers that set.
 * Which drafts a contract has can change until its lock is held (a billing round may bill it onto a new
 * consolidated draft meanwhile), so the set is read again under the locks; if it grew, the locks are given back
 * (they are taken in a savepoint, rolled back) and the larger set is locked, again in one call. Contracts whose
 * drafts are their own cost one read more than `lockContracts`.
 */
export async function lockContractsWithDrafts(
  tx: Db,
  tenantId: string,
  contractIds: readonly string[],
): Promise<string[]> {
  let wanted = await contractsSharingDrafts(tx, tenantId, contractIds);
  for (;;) {
    const locking = wanted;
    try {
      return await tx.transaction(async (savepoint) => {
        await lockContracts(savepoint as Db, locking);
        const now = await contractsSharingDrafts(savepoint as Db, tenantId, contractIds);
        if (now.some((id) => !locking.includes(id))) {
          throw new LockSetGrew([...new Set([...locking, ...now])].sort());
        }
        return locking;
      });
    } catch (error) {
      if (!(error instanceof LockSetGrew)) throw error;
      wanted = error.contractIds;
    }
  }
}

/**
 * Refuses to go on unless this transaction holds the locks of all the given contracts: re-pricing a draft
 * changes what each contract it bills is billed, and a lock taken here, late, could deadlock.
 */
export async function requireContractLocks(tx: Db, contractIds: readonly string[]): Promise<void> {
  const missing = await contractsNotLockedHere(tx, contractIds);
  if (missing.length) {
    throw new Error(
      `the locks of contracts ${missing.join(", ")} must be taken before their draft is re-priced`,
    );
  }
}
