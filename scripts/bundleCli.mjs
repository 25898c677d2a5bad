// Bundles the built CLI (dist/interfaces/cli/main.js) into dist/cli/, the file that `./dust` and the
// package's `bin` run: `npm run build` calls it after tsc. Start-up is most of a short command's
// time, and Node 20 spends it resolving, reading and compiling modules one by one (zod alone is
// 95 of them, yaml some 60 CommonJS files). Bundled, with each lazily imported module in a chunk
// of its own, `dust scan` on a static configuration reads a handful of files.
//
// The heavy runtime dependencies (viem, ccxt, Hardhat, fastify, the database drivers...) stay
// external: they are loaded from node_modules, and only by the commands that need them. zod,
// yaml and commander are bundled; fastify-type-provider-zod is bundled with them so that it
// shares the one bundled zod. The library entry (dist/index.js) is not bundled.
import { readFileSync } from 'node:fs'
import { build } from 'esbuild'

const BUNDLED = new Set(['zod', 'yaml', 'commander', 'fastify-type-provider-zod'])
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const external = Object.keys(manifest.dependencies)
  .filter((name) => !BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`])

await build({
  entryPoints: { main: 'dist/interfaces/cli/main.js' },
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  keepNames: true,
  sourcemap: 'linked',
  external,
  logLevel: 'warning',
  // Bundled CommonJS (yaml, commander) requires Node's modules; an ES module has no `require`.
  banner: { js: "import { createRequire as __dustCreateRequire } from 'node:module'; const require = __dustCreateRequire(import.meta.url);" },
})
