import type { ReactNode } from "react";
import { Link } from "react-router";
import { ErrorBox, Loading } from "./states.tsx";

/** A page's title, the line under it, and its actions on the right. */
export function PageHeader({
  title,
  subtitle,
  titleTestId,
  children,
}: {
  title: ReactNode;
  subtitle: ReactNode;
  titleTestId?: string;
  children?: ReactNode;
}) {
  return (
    <header className="page-head">
      <div>
        <h1 data-testid={titleTestId}>{title}</h1>
        <p className="muted">{subtitle}</p>
      </div>
      {children}
    </header>
  );
}

/** The foot of a paged list: fetches the next page, disabled while it loads. */
export function LoadMore({
  list,
}: {
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage(): unknown };
}) {
  if (!list.hasNextPage) return null;
  return (
    <div className="ops-table-foot">
      <button
        type="button"
        className="btn"
        onClick={() => list.fetchNextPage()}
        disabled={list.isFetchingNextPage}
      >
        {list.isFetchingNextPage ? "Loading…" : "Load more"}
      </button>
    </div>
  );
}

/** A record page before its record is there: why it could not load, or that it is loading. */
export function RecordPending({
  query,
  what,
}: {
  query: { isError: boolean; error: unknown };
  what: string;
}) {
  return (
    <div className="page">
      {query.isError ? (
        <ErrorBox error={query.error} title={`Could not load the ${what}.`} />
      ) : (
        <Loading what={what} />
      )}
    </div>
  );
}

/** The trail above a record page's header: the list it belongs to, then where the record sits in it. */
export function Crumbs({ to, label, children }: { to: string; label: string; children: ReactNode }) {
  return (
    <nav className="ops-crumbs">
      <Link to={to}>{label}</Link>
      <span className="crumb-sep">/</span>
      {children}
    </nav>
  );
}
