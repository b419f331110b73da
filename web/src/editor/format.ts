import { Decimal, fixed, humanNumber, type WireValue } from "@pricegraph/engine";
import { minorUnits } from "@pricegraph/shared";
import { isParamRef } from "./store/paths.ts";

const grouping = /\B(?=(\d{3})+(?!\d))/g;

/** "2500.00" → "2,500.00": groups the integer part of a decimal string without touching its digits. */
export function groupDigits(text: string): string {
  const negative = text.startsWith("-");
  const [whole, fraction] = (negative ? text.slice(1) : text).split(".");
  const grouped = whole.replace(grouping, ",");
  return `${negative ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** A money amount rounded to the currency's minor unit, grouped ("2,500.00"). */
export function formatMoney(value: string, currency: string): string {
  try {
    return groupDigits(fixed(new Decimal(value), minorUnits(currency)));
  } catch {
    return value;
  }
}

/** A quantity exactly, grouped ("1,500", "0.004"). */
export function formatQuantity(value: string): string {
  try {
    return humanNumber(new Decimal(value));
  } catch {
    return value;
  }
}

/** A port value for the canvas overlay: money to the minor unit, quantities exact, groups summarised. */
export function formatWire(value: WireValue | undefined, type: string | undefined, currency: string): string {
  if (value === undefined) return "";
  if (Array.isArray(value)) return `${value.length} group${value.length === 1 ? "" : "s"}`;
  return type === "money" ? formatMoney(value, currency) : formatQuantity(value);
}

/** A decimal field as a node shows it: the literal, or the parameter it reads. */
export function fieldText(value: unknown): string {
  if (isParamRef(value)) return `⚑ ${value.param}`;
  if (value === null) return "∞";
  if (typeof value === "string") return formatQuantity(value);
  if (typeof value === "number") return String(value);
  return "—";
}
