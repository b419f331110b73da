import { z } from "zod";
import { activityTypes } from "../activity-types.ts";
import { dateTime, paginationQuery, text } from "./common.ts";

export const activitySchema = z
  .object({
    id: z.string(),
    type: z.string().describe("`object.verb`, e.g. `invoice.finalized`"),
    objectType: z.string(),
    objectId: z.string(),
    object: z
      .record(z.string(), z.unknown())
      .describe("the object as the API answered it right after the change"),
    actor: z.object({
      type: z.enum(["api_key", "user", "system"]),
      id: z.string().describe("the API key id, the user id, or the job that acted (`billing-scheduler`, …)"),
    }),
    createdAt: dateTime,
  })
  .meta({ id: "Activity" });

export const activityQuery = z.object({
  ...paginationQuery,
  type: z.enum(activityTypes).optional().describe("only records of this type"),
  objectType: text(100)
    .optional()
    .describe("only records about this kind of object (`invoice`, `contract`, …)"),
  objectId: text(100).optional().describe("only records about this object"),
  actorId: text(100).optional().describe("only changes made by this API key, user or job"),
  from: z.iso.datetime({ offset: true }).optional().describe("created at or after"),
  to: z.iso.datetime({ offset: true }).optional().describe("created at or before"),
});

export type ActivityQuery = z.infer<typeof activityQuery>;
export type Activity = z.infer<typeof activitySchema>;
