import { defineProject } from "vitest/config";

// TEST_DB=pglite (default) or postgres (with TEST_DATABASE_URL). The global setup migrates once; each test file
// opens its own database from that (a PGlite template dump, or the migrated Postgres schema) and every test
// works in its own tenant, so nothing is truncated between tests.
export default defineProject({
  test: {
    name: "server",
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    globalSetup: ["./test/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
