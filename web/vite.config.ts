import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";
import { firstLoadBudget } from "./vite-plugins/first-load-budget.ts";

// `npm run dev` forwards the gRPC-Web paths to a running gateway, so the page and its
// calls share one origin and development needs no CORS.
const gatewayUrl = process.env.GATEWAY_URL ?? "http://localhost:8080";

export default defineConfig({
  plugins: [
    react(), // The generated client imports @grpc/grpc-js for types only; it must never be bundled.
    firstLoadBudget({ budgetKb: 130, forbiddenPackages: ["@grpc/grpc-js"] }),
  ],
  build: {
    // The budget that matters is first-load gzip (above); raw size only warns about
    // google-protobuf, which ships as one closure-compiled file.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      onwarn(warning, warn) {
        // google-protobuf's closure loader has a direct eval the page never reaches.
        if (warning.code === "EVAL" && warning.id?.includes("google-protobuf")) return;
        warn(warning);
      },
    },
  },
  server: {
    proxy: { "/Teams/": { target: gatewayUrl, changeOrigin: true } },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}", "vite-plugins/**/*.test.ts"],
    setupFiles: ["src/test/setup.ts"],
  },
});
