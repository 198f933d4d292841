// Stylesheets are bundled by esbuild (scripts/lib/build-playground.ts), not imported as values.
declare module '*.css';
