import type { Contract } from "../api/contracts.ts";
import { todayDate } from "../ui/format.ts";

/** Where a contract stands today: not started, running, or past its (inclusive) end date. */
export function contractState(
  contract: Pick<Contract, "startDate" | "endDate">,
  today: string = todayDate(),
): "upcoming" | "active" | "ended" {
  if (contract.startDate > today) return "upcoming";
  if (contract.endDate && contract.endDate < today) return "ended";
  return "active";
}
