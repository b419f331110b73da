import type { Db } from "../../db/index.ts";
import { customersByIds, type ParentLinkRow, parentLinksOf } from "../customers/queries.ts";

/**
 * Account hierarchies: which events count toward which customer. Events name a customer by external id; while
 * that customer is a child account, its events count toward its parent (or the parent's parent, up to the
 * top), by the event's timestamp against the links' validity. One event always counts for exactly one customer.
 */

/** Events of `externalId` (customer `accountId`) timestamped in [since, until) count toward `owner`. */
export interface UsageRoute {
  owner: string;
  accountId: string;
  externalId: string;
  /** Null: unbounded. */
  since: Date | null;
  until: Date | null;
}

interface Segment {
  owner: string;
  from: number;
  to: number;
}

/** Far more than MAX_HIERARCHY_DEPTH: a guard against data written around the service's checks. */
const WALK_LIMIT = 64;

function ownerTimeline(
  linksOf: ReadonlyMap<string, ParentLinkRow[]>,
  customerId: string,
  from: number,
  to: number,
  depth: number,
): Segment[] {
  if (depth > WALK_LIMIT) throw new Error(`the account hierarchy above ${customerId} loops`);
  const out: Segment[] = [];
  let cursor = from;
  for (const link of linksOf.get(customerId) ?? []) {
    const start = Math.max(link.validFrom?.getTime() ?? -Infinity, from);
    const end = Math.min(link.validTo?.getTime() ?? Infinity, to);
    if (start >= end) continue;
    if (cursor < start) out.push({ owner: customerId, from: cursor, to: start });
    out.push(...ownerTimeline(linksOf, link.parentId, start, end, depth + 1));
    cursor = end;
  }
  if (cursor < to) out.push({ owner: customerId, from: cursor, to });
  // Adjacent segments of one owner merge: fewer routes for the query.
  const merged: Segment[] = [];
  for (const segment of out) {
    const last = merged.at(-1);
    if (last && last.owner === segment.owner && last.to === segment.from) last.to = segment.to;
    else merged.push({ ...segment });
  }
  return merged;
}

const bound = (ms: number) => (Number.isFinite(ms) ? new Date(ms) : null);

/**
 * The routes of the events that count toward `ownerIds`, or null when the tenant has no account hierarchy
 * (then each customer's events are simply its own, and callers keep their plain query).
 */
export async function usageRoutes(
  db: Db,
  tenantId: string,
  ownerIds: readonly string[],
): Promise<UsageRoute[] | null> {
  const links = await parentLinksOf(db, tenantId);
  if (links.length === 0) return null;
  const linksOf = new Map<string, ParentLinkRow[]>();
  const childrenOf = new Map<string, Set<string>>();
  for (const link of links) {
    linksOf.set(link.customerId, [...(linksOf.get(link.customerId) ?? []), link]);
    const children = childrenOf.get(link.parentId) ?? new Set<string>();
    children.add(link.customerId);
    childrenOf.set(link.parentId, children);
  }
  for (const list of linksOf.values())
    list.sort((a, b) => (a.validFrom?.getTime() ?? -Infinity) - (b.validFrom?.getTime() ?? -Infinity));
  // Every account whose events may count toward an owner: the owners and all their children, at any time.
  const owners = new Set(ownerIds);
  const accounts = new Set(ownerIds);
  const queue = [...ownerIds];
  while (queue.length) {
    for (const child of childrenOf.get(queue.pop()!) ?? []) {
      if (accounts.has(child)) continue;
      accounts.add(child);
      queue.push(child);
    }
  }
  const rows = await customersByIds(db, tenantId, [...accounts]);
  const routes: UsageRoute[] = [];
  for (const row of rows) {
    for (const segment of ownerTimeline(linksOf, row.id, -Infinity, Infinity, 0)) {
      if (!owners.has(segment.owner)) continue;
      routes.push({
        owner: segment.owner,
        accountId: row.id,
        externalId: row.externalId,
        since: bound(segment.from),
        until: bound(segment.to),
      });
    }
  }
  return routes;
}
