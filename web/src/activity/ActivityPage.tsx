import { activityTypes } from "@pricegraph/shared";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { useSearchParams } from "react-router";
import { type ActivityRecord, activityApi } from "../api/activity.ts";
import { instant } from "../ui/format.ts";
import { LoadMore, PageHeader } from "../ui/Page.tsx";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";
import { snapshotChanges } from "./diff.ts";
import "./activity.css";

const objectTypes = [...new Set(activityTypes.map((t) => t.slice(0, t.indexOf("."))))];
const filterKeys = ["type", "objectType", "objectId", "actorId"] as const;

function actorLabel(actor: ActivityRecord["actor"]): string {
  if (actor.type === "system") return `system (${actor.id})`;
  return `${actor.type === "api_key" ? "API key" : "user"} ${actor.id}`;
}

function show(value: unknown): string {
  if (value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** What changed: the fields that differ from the previous record of the same object, or the whole snapshot. */
function RecordDetail({ record }: { record: ActivityRecord }) {
  const previous = useQuery({
    queryKey: ["activity", "previous", record.objectId, record.id],
    // The object's records newest first; the one after this record in that list is the previous state.
    queryFn: async () => {
      const page = await activityApi.list({ objectId: record.objectId, limit: 100 });
      const index = page.data.findIndex((r) => r.id === record.id);
      return index >= 0 ? (page.data[index + 1] ?? null) : null;
    },
  });
  const changes = previous.data ? snapshotChanges(previous.data.object, record.object) : null;
  return (
    <div className="activity-detail" data-testid="activity-detail">
      {previous.isLoading && <Loading what="the previous record" />}
      {changes && (
        <>
          <h3>Changed since {instant(previous.data?.createdAt)}</h3>
          {changes.length === 0 ? (
            <p className="muted small">No field changed.</p>
          ) : (
            <table className="data-table compact" data-testid="activity-changes">
              <tbody>
                {changes.map((c) => (
                  <tr key={c.path}>
                    <td className="ops-mono">{c.path}</td>
                    <td className="activity-before">{show(c.before)}</td>
                    <td className="activity-after">{show(c.after)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <h3>{record.objectType} after the change</h3>
      <pre className="activity-snapshot" data-testid="activity-snapshot">
        {JSON.stringify(record.object, null, 2)}
      </pre>
    </div>
  );
}

/** The audit view over the activity log: who did what to which object and when, with the change. */
export function ActivityPage() {
  const [params, setParams] = useSearchParams();
  const [open, setOpen] = useState<string | null>(null);
  const filters = Object.fromEntries(filterKeys.map((k) => [k, params.get(k) ?? ""])) as Record<
    (typeof filterKeys)[number],
    string
  >;
  const records = useInfiniteQuery({
    queryKey: ["activity", "list", filters],
    queryFn: ({ pageParam }) => activityApi.list({ ...filters, cursor: pageParam, limit: 50 }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const rows = records.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <div className="page ops-page">
      <PageHeader
        title="Activity"
        subtitle="Every change, who made it and what the object looked like after it."
      />
      <div className="ops-toolbar">
        <label className="field">
          <span>Type</span>
          <select
            value={filters.type}
            onChange={(e) => setFilter("type", e.target.value)}
            data-testid="filter-type"
          >
            <option value="">All</option>
            {activityTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Object type</span>
          <select
            value={filters.objectType}
            onChange={(e) => setFilter("objectType", e.target.value)}
            data-testid="filter-object-type"
          >
            <option value="">All</option>
            {objectTypes.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-grow">
          <span>Object id</span>
          <input
            type="text"
            value={filters.objectId}
            placeholder="e.g. inv_…"
            onChange={(e) => setFilter("objectId", e.target.value.trim())}
            data-testid="filter-object-id"
          />
        </label>
        <label className="field">
          <span>Actor id</span>
          <input
            type="text"
            value={filters.actorId}
            placeholder="key_… or a job"
            onChange={(e) => setFilter("actorId", e.target.value.trim())}
            data-testid="filter-actor-id"
          />
        </label>
      </div>
      {records.isError && <ErrorBox error={records.error} title="Could not load the activity log." />}
      {records.isLoading && <Loading what="activity" />}
      {records.data && rows.length === 0 && <EmptyState title="Nothing recorded matches these filters" />}
      {rows.length > 0 && (
        <table className="data-table compact" data-testid="activity">
          <thead>
            <tr>
              <th>When</th>
              <th>Who</th>
              <th>What</th>
              <th>Object</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <Fragment key={r.id}>
                <tr
                  className="is-clickable"
                  onClick={() => setOpen(open === r.id ? null : r.id)}
                  data-testid={`activity-${r.type}`}
                >
                  <td>{instant(r.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="link-button"
                      onClick={(e) => {
                        e.stopPropagation();
                        setFilter("actorId", r.actor.id);
                      }}
                    >
                      {actorLabel(r.actor)}
                    </button>
                  </td>
                  <td>
                    <code>{r.type}</code>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link-button ops-mono"
                      onClick={(e) => {
                        e.stopPropagation();
                        setFilter("objectId", r.objectId);
                      }}
                    >
                      {r.objectId}
                    </button>
                  </td>
                </tr>
                {open === r.id && (
                  <tr>
                    <td colSpan={4}>
                      <RecordDetail record={r} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
      <LoadMore list={records} />
    </div>
  );
}
