import { Link, useRouteError } from "react-router";

/** What a screen shows when it fails to render: the message and a way back, not a blank page. */
export function RouteError() {
  const error = useRouteError();
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="page" role="alert" data-testid="route-error">
      <h1>Something went wrong</h1>
      <p className="muted">This screen failed to load: {message}</p>
      <p>
        <Link to="/plans">Back to plans</Link>
      </p>
    </div>
  );
}
