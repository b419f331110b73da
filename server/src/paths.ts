import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The server package's folder: the one holding `drizzle/` (the migrations). Found by walking up from this
 * module, so the same code works from source (`src/`) and from the production bundle (`dist/`).
 */
function findServerRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "drizzle", "meta", "_journal.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`No drizzle/ migrations folder above ${start}`);
  }
}

export const serverRoot = findServerRoot(dirname(fileURLToPath(import.meta.url)));
/** The checkout (or the image's /app): `web/dist` and the default `.data/` live here. */
export const repoRoot = dirname(serverRoot);
export const migrationsFolder = join(serverRoot, "drizzle");
