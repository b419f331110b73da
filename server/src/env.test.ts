import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ConfigError, readEnv } from "./env.ts";

const serverDir = join(dirname(fileURLToPath(import.meta.url)), "..");

describe("configuration", () => {
  it("fills defaults and converts values", () => {
    const config = readEnv({ PORT: "8080", SEED_DEMO: "false", DATABASE_URL: "" });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config).toMatchObject({
      PORT: 8080,
      HOST: "0.0.0.0",
      SEED_DEMO: false,
      LOG_LEVEL: "warn",
      BILLING_WORKER_CONCURRENCY: 3,
    });
    expect(readEnv({ DATABASE_URL: "postgresql://u:p@db:5432/pricegraph" }).DATABASE_URL).toBe(
      "postgresql://u:p@db:5432/pricegraph",
    );
  });

  it("names every variable at fault", () => {
    const read = () =>
      readEnv({ PORT: "http", DATABASE_URL: "mysql://db/x", LOG_LEVEL: "loud", BILLING_WORKER: "yes" });
    expect(read).toThrow(ConfigError);
    const message = (() => {
      try {
        read();
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const name of ["PORT", "DATABASE_URL", "LOG_LEVEL", "BILLING_WORKER"])
      expect(message).toContain(`${name}=`);
  });

  it("stops the server at start with exit code 2 and the message, before opening any database", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      cwd: serverDir,
      env: { ...process.env, PORT: "70000", DATA_DIR: "memory://", DATABASE_URL: "" },
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('PORT="70000"');
    expect(result.stdout).not.toContain("Pricegraph is running");
  });
});
