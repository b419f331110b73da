import { z } from "zod";

/**
 * The server's configuration, read from the environment once at start and validated as a whole: a bad value
 * stops the start with a message naming every variable at fault, instead of failing later or being ignored.
 * docs/self-hosting.md has the table.
 */
const onOff = z.enum(["on", "off"]);
const boolean = z.enum(["true", "false"]).transform((value) => value === "true");

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((value) => value === undefined || value === "" || isPostgresUrl(value), {
      message:
        "must be a postgres:// or postgresql:// URL, e.g. postgres://user:password@host:5432/pricegraph",
    }),
  DATA_DIR: z.string().min(1).optional(),
  WEB_DIST: z.string().min(1).optional(),
  SEED_DEMO: boolean.default(true),
  DEMO_API_KEY: z.string().min(16).max(200).optional(),
  DEMO_OWNER_EMAIL: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+$/, "must be an e-mail address")
    .optional(),
  DEMO_OWNER_PASSWORD: z.string().min(10).max(200).optional(),
  /** The session cookie's Secure flag: auto = when the request came over https (or X-Forwarded-Proto says so). */
  COOKIE_SECURE: z
    .enum(["auto", "true", "false"])
    .default("auto")
    .transform((value) => (value === "auto" ? ("auto" as const) : value === "true")),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("warn"),
  BILLING_WORKER: onOff.optional(),
  BILLING_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(3),
});

export type ServerEnv = z.infer<typeof envSchema>;

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "postgres:" || url.protocol === "postgresql:") && url.hostname !== "";
  } catch {
    return false;
  }
}

export class ConfigError extends Error {}

/** The validated configuration; empty variables count as unset. Throws a ConfigError listing every problem. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): ServerEnv {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    return `  ${name}=${JSON.stringify(env[name] ?? "")}: ${issue.message}`;
  });
  throw new ConfigError(`The configuration is invalid:\n${lines.join("\n")}`);
}
