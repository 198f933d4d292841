// Stylesheets are bundled by esbuild (dev/build-playground.ts), not imported as values.
declare module '*.css';
