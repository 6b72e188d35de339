import { defineConfig } from "vitest/config";
import react from "@vitejs/plugin-react";

// Tauri loads the built files from ui/dist (see tauri.conf.json).
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  // Loaded from disk by the app, so one larger bundle costs nothing on the wire.
  build: { target: "safari16", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 2048 },
  test: { include: ["src/**/*.test.ts"] },
});
