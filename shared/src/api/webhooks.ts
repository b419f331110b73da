import { z } from "zod";
import { activityTypes } from "../activity-types.ts";
import { dateTime, optionalText } from "./common.ts";

/** An activity type, or `*` for all of them. */
export const eventTypeSchema = z.enum([...activityTypes, "*"]);

const urlSchema = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password;
    } catch {
      return false;
    }
  }, "must be an http:// or https:// URL without credentials")
  .describe("where deliveries are POSTed");

export const endpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.string()).describe("activity types delivered; `*` for all"),
    enabled: z.boolean(),
    previousSecretExpiresAt: dateTime
      .nullable()
      .describe("after a rotation: until then deliveries are also signed with the previous secret"),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: "WebhookEndpoint" });
export type Endpoint = z.infer<typeof endpointSchema>;

export const endpointWithSecretSchema = endpointSchema
  .extend({ secret: z.string().describe("the signing secret: shown in this response only, store it now") })
  .meta({ id: "WebhookEndpointWithSecret" });

export const createEndpointBody = z.strictObject({
  url: urlSchema,
  description: optionalText(500).default(""),
  eventTypes: z.array(eventTypeSchema).min(1).max(100).default(["*"]),
  enabled: z.boolean().default(true),
});
export type CreateEndpoint = z.infer<typeof createEndpointBody>;

export const updateEndpointBody = z.strictObject({
  url: urlSchema.optional(),
  description: optionalText(500).optional(),
  eventTypes: z.array(eventTypeSchema).min(1).max(100).optional(),
  enabled: z.boolean().optional(),
});
export type UpdateEndpoint = z.infer<typeof updateEndpointBody>;

export const rotateSecretBody = z.strictObject({
  overlapHours: z
    .number()
    .min(0)
    .max(168)
    .default(24)
    .describe("how long deliveries stay signed with the old secret too (0–168 hours, default 24)"),
});

export const attemptSchema = z.object({
  attemptedAt: dateTime,
  statusCode: z.number().int().nullable().describe("the receiver's HTTP status; null when it did not answer"),
  latencyMs: z.number().int(),
  error: z.string().nullable(),
  manual: z.boolean().describe("a resend asked for by hand"),
});

export const deliverySchema = z
  .object({
    id: z.string().describe("the `Pricegraph-Delivery` header: the same on every attempt"),
    endpointId: z.string(),
    eventId: z.string().describe("the activity record delivered (or the test event)"),
    type: z.string(),
    status: z.enum(["pending", "succeeded", "failed", "canceled"]),
    attempts: z.array(attemptSchema),
    nextAttemptAt: dateTime.nullable(),
    createdAt: dateTime,
  })
  .meta({ id: "WebhookDelivery" });

export const deliveryWithEventSchema = deliverySchema
  .extend({ event: z.record(z.string(), z.unknown()).describe("the body sent: {id, type, created, object}") })
  .meta({ id: "WebhookDeliveryWithEvent" });

export const deliveryParams = z.object({ id: z.string().max(100), deliveryId: z.string().max(100) });
