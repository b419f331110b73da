import type { ReactNode } from "react";

export interface TabItem<T extends string> {
  id: T;
  label: string;
  /** Shown after the label, such as a count. */
  badge?: ReactNode;
}

/** A side panel's tab strip; each tab's test id is `tab-<id>`. */
export function Tabs<T extends string>({
  tabs,
  active,
  onSelect,
}: {
  tabs: readonly TabItem<T>[];
  active: NoInfer<T>;
  onSelect(id: NoInfer<T>): void;
}) {
  return (
    <div className="tabs" role="tablist">
      {tabs.map((t) => (
        <button
          type="button"
          role="tab"
          key={t.id}
          aria-selected={active === t.id}
          className={active === t.id ? "tab active" : "tab"}
          onClick={() => onSelect(t.id)}
          data-testid={`tab-${t.id}`}
        >
          {t.label}
          {t.badge}
        </button>
      ))}
    </div>
  );
}
