import { Navigate, type RouteObject } from "react-router";
import { ContractPage } from "../contracts/ContractPage.tsx";
import { ContractsPage } from "../contracts/ContractsPage.tsx";
import { NewContractPage } from "../contracts/NewContractPage.tsx";
import { CustomerPage } from "../customers/CustomerPage.tsx";
import { CustomersPage } from "../customers/CustomersPage.tsx";
import { DashboardPage } from "../dashboard/DashboardPage.tsx";
import { FigureInvoicesPage } from "../dashboard/FigureInvoicesPage.tsx";
import { EditorPage } from "../editor/EditorPage.tsx";
import { InvoicePage } from "../invoices/InvoicePage.tsx";
import { InvoicesPage } from "../invoices/InvoicesPage.tsx";
import { DiffPage } from "../plans/DiffPage.tsx";
import { PlansPage } from "../plans/PlansPage.tsx";
import { VersionPage } from "../plans/VersionPage.tsx";
import { SettingsPage } from "../settings/SettingsPage.tsx";
import { UsagePage } from "../usage/UsagePage.tsx";
import { Layout } from "./Layout.tsx";
import { RouteError } from "./RouteError.tsx";
import { SignInPage } from "./SignInPage.tsx";

/**
 * Screens inside the signed-in layout. Each new area (customers, contracts, invoices, usage, settings)
 * adds its routes here and its entry in `nav.ts`.
 */
export const appRoutes: RouteObject[] = [
  { index: true, element: <DashboardPage /> },
  { path: "dashboard/invoices", element: <FigureInvoicesPage /> },
  { path: "plans", element: <PlansPage /> },
  { path: "plans/:planId", element: <EditorPage /> },
  { path: "plans/:planId/versions/:version", element: <VersionPage /> },
  { path: "plans/:planId/diff", element: <DiffPage /> },
  { path: "customers", element: <CustomersPage /> },
  { path: "customers/:customerId", element: <CustomerPage /> },
  { path: "contracts", element: <ContractsPage /> },
  { path: "contracts/new", element: <NewContractPage /> },
  { path: "contracts/:contractId", element: <ContractPage /> },
  { path: "invoices", element: <InvoicesPage /> },
  { path: "invoices/:invoiceId", element: <InvoicePage /> },
  { path: "usage", element: <UsagePage /> },
  { path: "settings", element: <SettingsPage /> },
];

export const routes: RouteObject[] = [
  { path: "/sign-in", element: <SignInPage /> },
  { path: "/", element: <Layout />, errorElement: <RouteError />, children: appRoutes },
  { path: "*", element: <Navigate to="/plans" replace /> },
];
