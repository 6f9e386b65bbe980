/**
 * How every library under packages/ is built: ESM and CommonJS for Node 22, with type declarations
 * and source maps. A package's tsup.config.ts names only its entry points (one per export):
 * `export default defineConfig(libraryBuild(['src/index.ts', …]))`.
 */
export const libraryBuild = (entry: string[]) => ({
  entry,
  format: ['esm', 'cjs'] as ('esm' | 'cjs')[],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
});
