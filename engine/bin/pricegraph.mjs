#!/usr/bin/env node
// The `pricegraph` command: the CLI is TypeScript source, loaded through tsx (Node 20 runs no TypeScript).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
await main(process.argv.slice(2));
