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
}

export const navItems: NavItem[] = [
  {
    to: "/",
    label: "Dashboard",
    icon: "M3 13h8V3H3zM13 21h8V11h-8zM3 21h8v-6H3zM13 3v6h8V3z",
    testId: "nav-dashboard",
  },
  {
    to: "/plans",
    label: "Plans",
    icon: "M4 5h6v6H4zM14 13h6v6h-6zM10 8h4a2 2 0 0 1 2 2v3",
    testId: "nav-plans",
  },
  {
    to: "/customers",
    label: "Customers",
    icon: "M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM2 21v-1a6 6 0 0 1 6-6h2a6 6 0 0 1 6 6v1M16 3.5a4 4 0 0 1 0 7.5M22 21v-1a6 6 0 0 0-4-5.6",
    testId: "nav-customers",
  },
  {
    to: "/contracts",
    label: "Contracts",
    icon: "M6 2h9l5 5v15H6zM14 2v6h6M9 13h8M9 17h5",
    testId: "nav-contracts",
  },
  {
    to: "/invoices",
    label: "Invoices",
    icon: "M5 3h14v18l-3-2-2 2-2-2-2 2-2-2-3 2zM9 8h6M9 12h6M9 16h3",
    testId: "nav-invoices",
  },
  {
    to: "/usage",
    label: "Usage",
    icon: "M4 20V10M10 20V4M16 20v-7M22 20H2",
    testId: "nav-usage",
  },
  {
    to: "/settings",
    label: "Settings",
    icon: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19.4 15a1.7 1.7 0 0 0 .3 1.8l.1.1a2 2 0 1 1-2.8 2.8l-.1-.1a1.7 1.7 0 0 0-1.8-.3 1.7 1.7 0 0 0-1 1.5V21a2 2 0 1 1-4 0v-.1a1.7 1.7 0 0 0-1.1-1.5 1.7 1.7 0 0 0-1.8.3l-.1.1a2 2 0 1 1-2.8-2.8l.1-.1a1.7 1.7 0 0 0 .3-1.8 1.7 1.7 0 0 0-1.5-1H3a2 2 0 1 1 0-4h.1a1.7 1.7 0 0 0 1.5-1.1 1.7 1.7 0 0 0-.3-1.8l-.1-.1a2 2 0 1 1 2.8-2.8l.1.1a1.7 1.7 0 0 0 1.8.3H9a1.7 1.7 0 0 0 1-1.5V3a2 2 0 1 1 4 0v.1a1.7 1.7 0 0 0 1 1.5 1.7 1.7 0 0 0 1.8-.3l.1-.1a2 2 0 1 1 2.8 2.8l-.1.1a1.7 1.7 0 0 0-.3 1.8V9a1.7 1.7 0 0 0 1.5 1H21a2 2 0 1 1 0 4h-.1a1.7 1.7 0 0 0-1.5 1z",
    testId: "nav-settings",
  },
];
