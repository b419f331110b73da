import { Link } from "react-router";
import { money } from "../ui/format.ts";

export interface BarSegment {
  key: string;
  label: string;
  value: number;
  amount: string;
  href: string;
}

export interface BarGroup {
  label: string;
  bars: { name: string; segments: BarSegment[] }[];
}

const PALETTE = ["#4f6bed", "#26a69a", "#f2a93b", "#e35d6a", "#8e6bd8", "#5aa9e6", "#a3b14a", "#c17d3c"];

export function colorOf(keys: readonly string[], key: string): string {
  const i = keys.indexOf(key);
  return PALETTE[Math.max(i, 0) % PALETTE.length];
}

/**
 * Bars per month, each stacked by a dimension; every segment is a link to the invoices behind it. Plain HTML
 * boxes (no chart library): heights are shares of the tallest bar.
 */
export function StackedBars({
  groups,
  keys,
  currency,
  testId,
}: {
  groups: BarGroup[];
  keys: string[];
  currency: string;
  testId: string;
}) {
  const max = Math.max(
    1,
    ...groups.flatMap((g) => g.bars.map((b) => b.segments.reduce((s, x) => s + Math.max(0, x.value), 0))),
  );
  return (
    <div className="dash-chart" data-testid={testId}>
      <div className="dash-bars">
        {groups.map((group) => (
          <div className="dash-group" key={group.label}>
            <div className="dash-group-bars">
              {group.bars.map((bar) => (
                <div className="dash-bar" key={bar.name} title={bar.name}>
                  {bar.segments
                    .filter((s) => s.value > 0)
                    .map((s) => (
                      <Link
                        key={s.key}
                        to={s.href}
                        className="dash-segment"
                        style={{ height: `${(s.value / max) * 100}%`, background: colorOf(keys, s.key) }}
                        title={`${bar.name} · ${group.label} · ${s.label}: ${money(s.amount, currency)}`}
                        aria-label={`${bar.name} ${group.label} ${s.label} ${money(s.amount, currency)}`}
                        data-testid={`${testId}-segment`}
                      />
                    ))}
                </div>
              ))}
            </div>
            <div className="dash-group-label">{group.label.slice(2)}</div>
          </div>
        ))}
      </div>
      <div className="dash-legend">
        {keys.map((k) => (
          <span key={k}>
            <i style={{ background: colorOf(keys, k) }} />
            {k}
          </span>
        ))}
      </div>
    </div>
  );
}
