// The production bundle: the server and the admin CLI as plain JavaScript in dist/, with the workspace's
// TypeScript packages (engine, shared) bundled in and the server's own npm dependencies left external, so the
// production image installs those dependencies only, and neither tsx nor any other dev tool.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("./package.json", import.meta.url), "utf8"));
const external = Object.keys(pkg.dependencies ?? {}).filter((name) => !name.startsWith("@pricegraph/"));

await build({
  entryPoints: { main: "src/main.ts", admin: "src/cli/admin.ts" },
  outdir: "dist",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  external,
  // Bundled CommonJS code may call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
