import { defineConfig } from 'vite';

/** `npm run portal` serves the portal for development; VITE_GATEWAY_URL says where the gateway is (its CORS_ORIGINS must list this origin). */
export default defineConfig({
  server: { host: '127.0.0.1', strictPort: true },
});
