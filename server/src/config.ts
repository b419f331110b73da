import { join, resolve } from "node:path";
import type { OpenDbOptions } from "./db/index.ts";
import { repoRoot } from "./paths.ts";

export { repoRoot };

/**
 * `DATABASE_URL` → PostgreSQL; otherwise PGlite in `$DATA_DIR/pglite` (DATA_DIR defaults to `.data/` at the
 * repository root; `DATA_DIR=memory://` keeps everything in memory). A PGlite folder is opened by one process
 * at a time: openDb locks it (`$DATA_DIR/pglite.lock`) and a second opener fails with DataDirLockedError.
 */
export function dbOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): OpenDbOptions {
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  const dataDir = env.DATA_DIR ?? join(repoRoot, ".data");
  if (dataDir.startsWith("memory://")) return { dataDir: "memory://" };
  return { dataDir: join(resolve(dataDir), "pglite") };
}
