import { Link } from "react-router";

/** The start of a read-only plan view's toolbar: back to the plans and to this plan's editor. */
export function PlanCrumbs({ planId }: { planId: string }) {
  return (
    <>
      <Link to="/plans" className="crumb">
        Plans
      </Link>
      <span className="crumb-sep">/</span>
      <Link to={`/plans/${planId}`} className="crumb">
        Editor
      </Link>
      <span className="crumb-sep">/</span>
    </>
  );
}
