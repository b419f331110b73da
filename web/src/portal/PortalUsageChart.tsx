import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { portalApi } from "../api/portal.ts";
import { ErrorBox, Loading } from "../ui/states.tsx";

/** Daily usage per metric over the last 90 days, one bar chart each. */
export function PortalUsageChart({ token }: { token: string }) {
  const to = new Date();
  to.setUTCHours(0, 0, 0, 0);
  to.setUTCDate(to.getUTCDate() + 1);
  const from = new Date(to.getTime() - 90 * 86_400_000);
  const usage = useQuery({
    queryKey: ["portal", token, "daily", from.toISOString()],
    queryFn: () => portalApi.dailyUsage(token, from.toISOString(), to.toISOString()),
  });
  if (usage.isError) return <ErrorBox error={usage.error} title="Could not load usage." />;
  if (!usage.data) return <Loading what="usage history" />;
  // Metrics the customer has not used in these 90 days would only draw empty charts.
  const used = usage.data.days.flatMap((d) => d.metrics.filter((m) => Number(m.value) !== 0));
  const keys = [...new Set(used.map((m) => m.key))].sort();
  if (keys.length === 0) return <p className="muted small">No usage recorded yet.</p>;
  return (
    <div data-testid="portal-usage-chart">
      {keys.map((key) => {
        const data = usage.data.days.map((d) => ({
          date: d.date,
          value: Number(d.metrics.find((m) => m.key === key)?.value ?? 0),
        }));
        return (
          <figure className="portal-chart" key={key}>
            <figcaption>
              <strong>{key}</strong> <span className="muted small">per day, last 90 days</span>
            </figcaption>
            <ResponsiveContainer width="100%" height={160}>
              <BarChart data={data}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="date" tick={{ fontSize: 11 }} minTickGap={24} />
                <YAxis tick={{ fontSize: 11 }} width={48} />
                <Tooltip />
                <Bar dataKey="value" fill="#4f46e5" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </figure>
        );
      })}
    </div>
  );
}
