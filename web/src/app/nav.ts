/**
 * The left navigation. Add an entry here together with its route in `routes.tsx`; only screens that exist
 * are listed (Customers, Contracts, Invoices, Usage and Settings arrive with their screens).
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
    to: "/plans",
    label: "Plans",
    icon: "M4 5h6v6H4zM14 13h6v6h-6zM10 8h4a2 2 0 0 1 2 2v3",
    testId: "nav-plans",
  },
];
