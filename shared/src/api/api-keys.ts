import { z } from "zod";
import { dateTime, text } from "./common.ts";
import { roleSchema } from "./users.ts";

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().describe("the first characters of the key, to recognise it"),
    role: roleSchema.describe("what the key may do; keys made before roles existed are admin"),
    createdAt: dateTime,
    revokedAt: dateTime.nullable(),
  })
  .meta({ id: "ApiKey" });
export type ApiKey = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = apiKeySchema
  .extend({ secret: z.string().describe("the API key itself: shown in this response only, store it now") })
  .meta({ id: "CreatedApiKey" });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

export const createApiKeyBody = z.strictObject({
  name: text(200).describe("what the key is for"),
  role: roleSchema.default("admin").describe("what the key may do (default admin)"),
});
export type CreateApiKey = z.infer<typeof createApiKeyBody>;

export const listApiKeysQuery = {
  includeRevoked: z
    .enum(["true", "false"])
    .default("true")
    .transform((value) => value === "true")
    .describe("list revoked keys too (default true)"),
};
