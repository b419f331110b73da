import { defineConfig } from "drizzle-kit";

// `pnpm --filter @pricegraph/server db:generate` writes SQL migrations for every table under src/db/schema.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema",
  out: "./drizzle",
});
