import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const serverPort = Number(process.env.SERVER_PORT ?? 3000);

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    sourcemap: true,
    // dist/.vite/manifest.json: which chunks each entry and lazy import loads (read by bench/bundle-sizes.ts).
    manifest: true,
    rolldownOptions: {
      // The shared domain is pure: its modules only declare values. Marking them side-effect free lets
      // the home and join pages take the stage names without pulling in zod and the command schemas.
      treeshake: { moduleSideEffects: (id: string) => !/[\\/]shared[\\/]src[\\/]/.test(id) },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': `http://localhost:${serverPort}`,
      '/calendar.ics': `http://localhost:${serverPort}`,
      '^/c/[^/]+/event\\.ics$': `http://localhost:${serverPort}`,
      '/socket.io': { target: `ws://localhost:${serverPort}`, ws: true },
    },
  },
});
