import { useQuery } from "@tanstack/react-query";
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { UsageReport } from "../api/contracts.ts";
import { customersApi } from "../api/customers.ts";
import { calendarDate, groupThousands } from "../ui/format.ts";
import { EmptyState, ErrorBox, Loading } from "../ui/states.tsx";
import { periodSoFar, seriesByMetric } from "./dailyUsage.ts";

// A month without usage still gets a 0–1 axis: an all-zero domain would draw its line mid-height.
const atLeastOne = (max: number) => Math.max(max, 1);
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export interface ChartPeriod {
  /** Instants of the period's bounds (end exclusive). */
  start: string;
  end: string;
  label: string;
}

/**
 * Daily usage bars per metric for the period, with the running total and the plan's included free units as a
 * line on the right axis: where the running total crosses the line, billable usage starts.
 */
export function UsageCharts({
  customerId,
  period,
  freeUnits,
}: {
  customerId: string;
  period: ChartPeriod;
  freeUnits: UsageReport["freeUnits"];
}) {
  const usage = useQuery({
    queryKey: ["customer-daily-usage", customerId, period.start, period.end],
    queryFn: async ({ signal }) => {
      const range = periodSoFar(period);
      return range ? (await customersApi.dailyUsage(customerId, range, signal)).days : [];
    },
  });
  if (usage.isError) return <ErrorBox error={usage.error} title="Could not load usage." />;
  if (usage.isLoading) return <Loading what="daily usage" />;
  const series = seriesByMetric(usage.data ?? []);
  if (series.length === 0) {
    return (
      <EmptyState title="No metrics yet" testId="usage-charts-empty">
        Define metrics, then send events for this customer to see daily usage here.
      </EmptyState>
    );
  }
  return (
    <div className="usage-charts" data-testid="usage-charts">
      {series.map((s) => {
        const free = freeUnits.find((f) => f.metric === s.key);
        const allowance = free ? Number(free.allowance ?? free.free) : null;
        return (
          <figure className="usage-chart" key={s.key} data-testid={`usage-chart-${s.key}`}>
            <figcaption>
              <strong>{s.key}</strong>
              <span className="muted small">
                {groupThousands(String(s.total))} so far · {period.label}
                {free && (
                  <>
                    {" "}
                    · free {groupThousands(free.allowance ?? free.free)}, remaining{" "}
                    {groupThousands(free.remaining ?? "0")}
                  </>
                )}
              </span>
            </figcaption>
            <ResponsiveContainer width="100%" height={210}>
              <ComposedChart data={s.points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                <CartesianGrid stroke="#eef2f7" vertical={false} />
                <XAxis
                  dataKey="day"
                  tickFormatter={(d: string) => calendarDate(d).replace(/, \d{4}$/, "")}
                  tick={{ fontSize: 11, fill: "#64748b" }}
                  minTickGap={18}
                />
                <YAxis
                  yAxisId="day"
                  tick={{ fontSize: 11, fill: "#64748b" }}
                  tickFormatter={(v: number) => compact.format(v)}
                  width={48}
                  domain={[0, atLeastOne]}
                />
                <YAxis
                  yAxisId="total"
                  orientation="right"
                  tick={{ fontSize: 11, fill: "#64748b" }}
                  tickFormatter={(v: number) => compact.format(v)}
                  width={48}
                  domain={[0, (max: number) => atLeastOne(Math.max(max, allowance ?? 0)) * 1.05]}
                />
                <Tooltip
                  formatter={(value, name) => [groupThousands(String(value)), String(name)]}
                  labelFormatter={(label) => calendarDate(String(label))}
                />
                <Legend wrapperStyle={{ fontSize: 12 }} />
                <Bar
                  yAxisId="day"
                  isAnimationActive={false}
                  dataKey="value"
                  name="Per day"
                  fill="#2563eb"
                  radius={[3, 3, 0, 0]}
                />
                <Line
                  yAxisId="total"
                  dataKey="cumulative"
                  isAnimationActive={false}
                  name="Period to date"
                  stroke="#0f172a"
                  strokeWidth={1.5}
                  dot={false}
                />
                {allowance !== null && (
                  <ReferenceLine
                    yAxisId="total"
                    y={allowance}
                    stroke="#059669"
                    strokeDasharray="6 4"
                    strokeWidth={2}
                    label={{
                      value: `Included free: ${groupThousands(free?.allowance ?? free?.free ?? "")}`,
                      position: "insideTopRight",
                      fill: "#047857",
                      fontSize: 11,
                    }}
                  />
                )}
              </ComposedChart>
            </ResponsiveContainer>
          </figure>
        );
      })}
    </div>
  );
}
