import type { IngestUnmatched } from "@pricegraph/shared/api";
import { Link } from "react-router";

/** After an import: how many of the accepted events count for nothing yet, and why (inline: it sits in a <p>). */
export function UnmatchedSummary({ unmatched }: { unmatched: IngestUnmatched }) {
  if (unmatched.events === 0) return null;
  return (
    <span className="import-unmatched" data-testid="import-unmatched">
      <strong>{unmatched.events.toLocaleString("en-US")} of them count for nothing yet:</strong>
      {unmatched.reasons.map((r) => (
        <span key={`${r.reason}:${r.subject}`} className="import-unmatched-reason">
          {r.events.toLocaleString("en-US")} — {r.message}
        </span>
      ))}
      <Link to="/usage/unmatched" data-testid="import-unmatched-link">
        See unmatched usage
      </Link>
    </span>
  );
}
