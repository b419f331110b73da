import { Navigate, type RouteObject } from "react-router";
import { ActivityPage } from "../activity/ActivityPage.tsx";
import { AlertsPage } from "../alerts/AlertsPage.tsx";
import { CommunicationsPage } from "../communications/CommunicationsPage.tsx";
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
import { MetricEditorPage } from "../metrics/MetricEditorPage.tsx";
import { MetricsPage } from "../metrics/MetricsPage.tsx";
import { DiffPage } from "../plans/DiffPage.tsx";
import { PlansPage } from "../plans/PlansPage.tsx";
import { VersionPage } from "../plans/VersionPage.tsx";
import { PortalPage } from "../portal/PortalPage.tsx";
import { ProductsPage } from "../products/ProductsPage.tsx";
import { ReceivablesPage } from "../receivables/ReceivablesPage.tsx";
import { SettingsPage } from "../settings/SettingsPage.tsx";
import { UnmatchedUsagePage } from "../usage/UnmatchedUsagePage.tsx";
import { UsagePage } from "../usage/UsagePage.tsx";
import { AcceptInvitePage } from "../users/AcceptInvitePage.tsx";
import { ResetPasswordPage } from "../users/ResetPasswordPage.tsx";
import { UsersPage } from "../users/UsersPage.tsx";
import { WebhooksPage } from "../webhooks/WebhooksPage.tsx";
import { Layout } from "./Layout.tsx";
import { RouteError } from "./RouteError.tsx";
import { SignInPage } from "./SignInPage.tsx";

/**
 * Screens inside the signed-in layout. Each new area (customers, contracts, invoices, usage, settings)
 * adds its routes here and its entry in `nav.ts`.
 */
export const appRoutes: RouteObject[] = [
  { index: true, handle: { title: "Dashboard" }, element: <DashboardPage /> },
  {
    path: "dashboard/invoices",
    handle: { title: "Invoices behind a figure" },
    element: <FigureInvoicesPage />,
  },
  { path: "plans", handle: { title: "Plans" }, element: <PlansPage /> },
  { path: "plans/:planId", handle: { title: "Plan editor" }, element: <EditorPage /> },
  { path: "plans/:planId/versions/:version", handle: { title: "Plan version" }, element: <VersionPage /> },
  { path: "plans/:planId/diff", handle: { title: "Compare versions" }, element: <DiffPage /> },
  { path: "products", handle: { title: "Products" }, element: <ProductsPage /> },
  { path: "customers", handle: { title: "Customers" }, element: <CustomersPage /> },
  { path: "customers/:customerId", handle: { title: "Customer" }, element: <CustomerPage /> },
  { path: "contracts", handle: { title: "Contracts" }, element: <ContractsPage /> },
  { path: "contracts/new", handle: { title: "New contract" }, element: <NewContractPage /> },
  { path: "contracts/:contractId", handle: { title: "Contract" }, element: <ContractPage /> },
  { path: "invoices", handle: { title: "Invoices" }, element: <InvoicesPage /> },
  { path: "invoices/:invoiceId", handle: { title: "Invoice" }, element: <InvoicePage /> },
  { path: "receivables", handle: { title: "Receivables" }, element: <ReceivablesPage /> },
  { path: "communications", handle: { title: "Communications" }, element: <CommunicationsPage /> },
  { path: "usage", handle: { title: "Usage" }, element: <UsagePage /> },
  { path: "usage/unmatched", handle: { title: "Unmatched usage" }, element: <UnmatchedUsagePage /> },
  { path: "metrics", handle: { title: "Metrics" }, element: <MetricsPage /> },
  { path: "metrics/new", handle: { title: "New metric" }, element: <MetricEditorPage /> },
  { path: "metrics/:metricKey", handle: { title: "Metric" }, element: <MetricEditorPage /> },
  { path: "settings", handle: { title: "Settings" }, element: <SettingsPage /> },
  { path: "activity", handle: { title: "Activity" }, element: <ActivityPage /> },
  { path: "webhooks", handle: { title: "Webhooks" }, element: <WebhooksPage /> },
  { path: "alerts", handle: { title: "Alerts" }, element: <AlertsPage /> },
  { path: "users", handle: { title: "People" }, element: <UsersPage /> },
];

export const routes: RouteObject[] = [
  { path: "/sign-in", handle: { title: "Sign in" }, element: <SignInPage /> },
  // The customer portal: opened by a portal link, outside the signed-in app.
  { path: "/portal/:token", handle: { title: "Customer portal" }, element: <PortalPage /> },
  { path: "/accept-invite", handle: { title: "Accept invitation" }, element: <AcceptInvitePage /> },
  { path: "/reset-password", handle: { title: "Reset password" }, element: <ResetPasswordPage /> },
  { path: "/", element: <Layout />, errorElement: <RouteError />, children: appRoutes },
  { path: "*", element: <Navigate to="/plans" replace /> },
];
