import { defineConfig } from "vitest/config";

// One vitest run for the whole workspace; each package keeps its own environment.
export default defineConfig({
  test: {
    projects: ["shared", "engine", "server", "web"],
  },
});
