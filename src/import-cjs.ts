/**
 * `import()` of a CommonJS package with its named exports, bundled or not. Run by Node, the
 * namespace has the named exports and `default` = module.exports; in the esbuild bundle
 * (dist/) a lazily imported CommonJS chunk has only `default`. Every dynamic import of a
 * CommonJS package (OpenTelemetry, gRPC) goes through here; test/e2e/otlp-cli.test.ts runs
 * them from the bundle.
 */
export async function importCjs<T>(load: Promise<T>): Promise<T> {
  const ns = await load;
  const d = (ns as { default?: unknown }).default;
  return (d !== null && typeof d === 'object' ? d : ns) as T;
}
