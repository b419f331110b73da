import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// In development the API runs separately (`pnpm --filter @pricegraph/server start`); the server serves the
// built app itself in production, so only the dev server needs the proxy.
const api = "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: { proxy: { "/v1": api, "/docs": api } },
  build: { chunkSizeWarningLimit: 2500 },
});
