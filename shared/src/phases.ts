import {
  addDays,
  compareLocalDates,
  daysBetween,
  formatLocalDate,
  parseLocalDate,
  startOfLocalDay,
} from "./local-dates.ts";
import { type Period, prorationOf } from "./periods.ts";

/**
 * Contract phases, pure. A contract is a sequence of phases, each from its effective date (a local date in the
 * customer's zone, inclusive) to the next one's. A billing period that a phase change splits is priced per
 * phase: each slice gets the usage of its own time range and the proration of its own days over the whole
 * calendar period, so a slice's advance fees and minimums are prorated by its share. See docs/contracts.md.
 */

export interface PhaseStart {
  /** First local day the phase applies to (the contract's start date for its first phase). */
  effectiveDate: string;
}

/** The part of a period one phase serves. */
export interface PeriodSlice<P extends PhaseStart> {
  phase: P;
  /** Served interval [start, end) as UTC instants, and as local dates (end exclusive). */
  start: Date;
  end: Date;
  startDate: string;
  endDate: string;
  daysServed: number;
  /** daysServed / the calendar period's days; the slices of a period add up to its own proration. */
  proration: string;
  /** True when the period has more than one slice (lines are then labelled with the slice's dates). */
  split: boolean;
}

/** The phase in effect on `date` (phases sorted by effective date), or the first when none has started. */
export function phaseOn<P extends PhaseStart>(phases: readonly P[], date: string): P {
  let current = phases[0];
  for (const phase of phases) if (phase.effectiveDate <= date) current = phase;
  return current;
}

/** Splits a period at the phase changes inside it; a period without a change is one slice, the period itself. */
export function sliceByPhases<P extends PhaseStart>(
  period: Period,
  phases: readonly P[],
  timeZone: string,
): PeriodSlice<P>[] {
  if (phases.length === 0) throw new Error("a contract has at least one phase");
  const inside = phases.filter((p) => p.effectiveDate > period.startDate && p.effectiveDate < period.endDate);
  const first = phaseOn(phases, period.startDate);
  if (inside.length === 0) {
    return [
      {
        phase: first,
        start: period.start,
        end: period.end,
        startDate: period.startDate,
        endDate: period.endDate,
        daysServed: period.daysServed,
        proration: period.proration,
        split: false,
      },
    ];
  }
  const bounds = [period.startDate, ...inside.map((p) => p.effectiveDate), period.endDate];
  const owners = [first, ...inside];
  return owners.map((phase, i) => {
    const from = parseLocalDate(bounds[i]);
    const to = parseLocalDate(bounds[i + 1]);
    const days = daysBetween(from, to);
    return {
      phase,
      start: i === 0 ? period.start : startOfLocalDay(from, timeZone),
      end: i === owners.length - 1 ? period.end : startOfLocalDay(to, timeZone),
      startDate: formatLocalDate(from),
      endDate: formatLocalDate(to),
      daysServed: days,
      proration: prorationOf(days, period.daysInPeriod),
      split: true,
    };
  });
}

/** "2025-01-01 – 2025-01-14": a slice's served days, the last one inclusive. */
export function sliceLabel(slice: { startDate: string; endDate: string }): string {
  const last = formatLocalDate(addDays(parseLocalDate(slice.endDate), -1));
  return compareLocalDates(parseLocalDate(slice.startDate), parseLocalDate(last)) === 0
    ? slice.startDate
    : `${slice.startDate} – ${last}`;
}
