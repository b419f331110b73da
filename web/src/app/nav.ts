/**
 * The left navigation. Add an entry here together with its route in `routes.tsx`; only screens that exist
 * are listed.
 */
export interface NavItem {
  to: string;
  label: string;
  /** An SVG path (24×24 viewBox) drawn as the item's icon. */
  icon: string;
  testId: string;
  /** The API route the screen reads, as the permission table spells it: hidden when the role may not call it. */
  requires: string;
}

export const navItems: NavItem[] = [
  {
    to: "/",
    label: "Dashboard",
    icon: "M3 13h8V3H3zM13 21h8V11h-8zM3 21h8v-6H3zM13 3v6h8V3z",
    testId: "nav-dashboard",
    requires: "GET /v1/reports/revenue",
  },
  {
    to: "/plans",
    label: "Plans",
    icon: "M4 5h6v6H4zM14 13h6v6h-6zM10 8h4a2 2 0 0 1 2 2v3",
    testId: "nav-plans",
    requires: "GET /v1/plans",
  },
  {
    to: "/metrics",
    label: "Metrics",
    icon: "M3 3v18h18M7 15l4-4 3 3 5-6",
    testId: "nav-metrics",
    requires: "GET /v1/metrics",
  },
  {
    to: "/products",
    label: "Products",
    icon: "M21 8l-9-5-9 5 9 5 9-5zM3 8v8l9 5 9-5V8M12 13v8",
    testId: "nav-products",
    requires: "GET /v1/products",
  },
  {
    to: "/customers",
    label: "Customers",
    icon: "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1M16 3.5a4 4 0 0 1 0 7.5M22 21v-1a6 6 0 0 0-4-5.6",
    testId: "nav-customers",
    requires: "GET /v1/customers",
  },
  {
    to: "/contracts",
    label: "Contracts",
    icon: "M6 2h9l5 5v15H6zM14 2v6h6M9 13h8M9 17h5",
    testId: "nav-contracts",
    requires: "GET /v1/contracts",
  },
  {
    to: "/invoices",
    label: "Invoices",
    icon: "M5 3h14v18l-3-2-2 2-2-2-2 2-2-2-3 2zM9 8h6M9 12h6M9 16h3",
    testId: "nav-invoices",
    requires: "GET /v1/invoices",
  },
  {
    to: "/receivables",
    label: "Receivables",
    icon: "M3 6h18v12H3zM3 10h18M7 15h4",
    testId: "nav-receivables",
    requires: "GET /v1/receivables/aging",
  },
  {
    to: "/communications",
    label: "Communications",
    icon: "M3 5h18v14H3zM3 6l9 7 9-7",
    testId: "nav-communications",
    requires: "GET /v1/email-messages",
  },
  {
    to: "/usage",
    label: "Usage",
    icon: "M4 20V10M10 20V4M16 20v-7M22 20H2",
    testId: "nav-usage",
    requires: "GET /v1/events",
  },
  {
    to: "/users",
    label: "People",
    icon: "M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM19 8v6M22 11h-6",
    testId: "nav-users",
    requires: "GET /v1/users",
  },
  {
    to: "/activity",
    label: "Activity",
    icon: "M12 8v4l3 2M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5",
    testId: "nav-activity",
    requires: "GET /v1/activity",
  },
  {
    to: "/alerts",
    label: "Alerts",
    icon: "M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.9 1.9 0 0 0 3.4 0",
    testId: "nav-alerts",
    requires: "GET /v1/alerts",
  },
  {
    to: "/webhooks",
    label: "Webhooks",
    icon: "M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2M6 17l3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06M12 6l3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8",
    testId: "nav-webhooks",
    requires: "GET /v1/webhook-endpoints",
  },
  {
    to: "/settings",
    label: "Settings",
    icon: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z",
    testId: "nav-settings",
    requires: "GET /v1/billing/settings",
  },
];
