import { Navigate, type RouteObject } from "react-router";
import { EditorPage } from "../editor/EditorPage.tsx";
import { DiffPage } from "../plans/DiffPage.tsx";
import { PlansPage } from "../plans/PlansPage.tsx";
import { VersionPage } from "../plans/VersionPage.tsx";
import { Layout } from "./Layout.tsx";
import { SignInPage } from "./SignInPage.tsx";

/**
 * Screens inside the signed-in layout. Each new area (customers, contracts, invoices, usage, settings)
 * adds its routes here and its entry in `nav.ts`.
 */
export const appRoutes: RouteObject[] = [
  { index: true, element: <Navigate to="/plans" replace /> },
  { path: "plans", element: <PlansPage /> },
  { path: "plans/:planId", element: <EditorPage /> },
  { path: "plans/:planId/versions/:version", element: <VersionPage /> },
  { path: "plans/:planId/diff", element: <DiffPage /> },
];

export const routes: RouteObject[] = [
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/", element: <Layout />, children: appRoutes },
  { path: "*", element: <Navigate to="/plans" replace /> },
];
