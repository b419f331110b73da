import type { PlanDocumentInput } from "@pricegraph/shared";
import type { BacktestResult, MigrationResult } from "@pricegraph/shared/api";
import { apiRequest } from "./client.ts";

export type { BacktestResult, MigrationResult };

export interface MigrationRequest {
  fromVersion: number;
  toVersion: number;
  effectiveDate: string;
  contractIds?: string[];
  dryRun: boolean;
  periods?: number;
}

export const planMigrationsApi = {
  /** A draft document (what the editor holds) or a published version against every contract of the plan. */
  backtest: (planId: string, body: { document?: PlanDocumentInput; version?: number; periods?: number }) =>
    apiRequest<BacktestResult>(`/plans/${encodeURIComponent(planId)}/backtest`, { method: "POST", body }),
  migrate: (planId: string, body: MigrationRequest, idempotencyKey?: string) =>
    apiRequest<MigrationResult>(`/plans/${encodeURIComponent(planId)}/migrations`, {
      method: "POST",
      body,
      idempotencyKey,
    }),
};
