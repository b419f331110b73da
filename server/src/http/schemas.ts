import {
  FIRST_SUPPORTED_DATE,
  isCurrency,
  isSupportedDate,
  isSupportedInstant,
  LAST_SUPPORTED_DATE,
} from "@pricegraph/shared";
import { z } from "zod";

/** Postgres text cannot hold NUL; refusing it here keeps such input a 400. */
export function text(max: number) {
  return z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !value.includes("\u0000"), "must not contain NUL characters");
}

export function optionalText(max: number) {
  return z
    .string()
    .max(max)
    .refine((value) => !value.includes("\u0000"), "must not contain NUL characters");
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timezoneSchema = z
  .string()
  .max(100)
  .refine(isTimeZone, "must be an IANA time zone such as Europe/Paris");
export const currencySchema = z.string().refine(isCurrency, "must be an active ISO 4217 currency code");

export const idParams = z.object({ id: text(100) });

/** ISO 8601 date-time as the API answers it. */
export const dateTime = z.string().describe("ISO 8601 date-time");

const supportedRange = `between ${FIRST_SUPPORTED_DATE} and ${LAST_SUPPORTED_DATE}`;

/** A calendar date or an instant that period arithmetic supports (see FIRST/LAST_SUPPORTED_DATE). */
export const dateOrInstantInRange = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine(
    (value) => (value.length === 10 ? isSupportedDate(value) : isSupportedInstant(new Date(value))),
    `must be a date or instant ${supportedRange}`,
  );
