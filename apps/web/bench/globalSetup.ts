import { build, type InlineConfig, type PluginOption } from 'vite';
import { WEB_DIST } from '../e2e/support/paths';
import viteConfig from '../vite.config.ts';

/**
 * Builds the SPA as the e2e tests do. BENCH_MINIFY=false keeps names readable in a CPU profile
 * (without the bundle budget, which an unminified bundle exceeds).
 */
export default async function setup(): Promise<void> {
  // vitest sets NODE_ENV=test, which would make Vite bundle Vue's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  const isReadable = process.env.BENCH_MINIFY === 'false';
  const plugins = (viteConfig.plugins ?? []).flat() as PluginOption[];
  const config: InlineConfig = {
    ...viteConfig,
    configFile: false,
    mode: 'production',
    logLevel: 'warn',
    plugins: isReadable ? plugins.filter((plugin) => !(plugin && 'name' in plugin && plugin.name === 'confab:bundle-budget')) : plugins,
    build: { ...viteConfig.build, outDir: WEB_DIST, emptyOutDir: true, ...(isReadable ? { minify: false } : {}) },
  };
  try {
    await build(config);
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
