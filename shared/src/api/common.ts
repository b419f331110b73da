import { z } from "zod";
import { isCurrency } from "../currencies.ts";
import {
  FIRST_SUPPORTED_DATE,
  isSupportedDate,
  isSupportedInstant,
  LAST_SUPPORTED_DATE,
} from "../local-dates.ts";

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

/** `limit` and `cursor` of every listing; spread into the listing's query object. */
export const paginationQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50).describe("page size (1–500, default 50)"),
  cursor: z.string().max(1000).optional().describe("`nextCursor` of the previous page"),
};

/** Which records a listing of archivable records answers: pickers use the default, `active`. */
export const archivedQuery = {
  archived: z
    .enum(["active", "archived", "all"])
    .default("active")
    .describe("`active` (default) hides archived records, `archived` lists only them, `all` both"),
};
export type ArchivedFilter = "active" | "archived" | "all";

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), nextCursor: z.string().nullable() });
}

/** One page of a listing: `nextCursor` is null on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Every 4xx and 5xx answers this shape; `details` locate the problem (field path, node id, CSV row). */
export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.looseObject({ path: z.string(), message: z.string() })),
    }),
  })
  .meta({ id: "Error" });
export type ErrorBody = z.infer<typeof errorBodySchema>;
export type ErrorBodyDetail = ErrorBody["error"]["details"][number];

const supportedRange = `between ${FIRST_SUPPORTED_DATE} and ${LAST_SUPPORTED_DATE}`;

/** A calendar date or an instant that period arithmetic supports (see FIRST/LAST_SUPPORTED_DATE). */
export const dateOrInstantInRange = z
  .union([z.iso.date(), z.iso.datetime({ offset: true })])
  .refine(
    (value) => (value.length === 10 ? isSupportedDate(value) : isSupportedInstant(new Date(value))),
    `must be a date or instant ${supportedRange}`,
  );
