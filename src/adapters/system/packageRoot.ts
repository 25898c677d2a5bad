import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE_NAME = 'dust-manager'

/**
 * Returns the folder of this package's `package.json`, found by walking up from `moduleUrl` (a
 * module's `import.meta.url`). The same module runs from `src/` under tsx and vitest, from `dist/`
 * once built and from the CLI's bundle in `dist/cli/`, each at another depth; the package root is
 * where the demo's artifacts, `hardhat.config.cjs` and the default data folder are found from.
 */
export function packageRoot(moduleUrl: string): string {
  const start = dirname(fileURLToPath(moduleUrl))
  for (let folder = start; ; folder = dirname(folder)) {
    const manifest = join(folder, 'package.json')
    if (existsSync(manifest) && readName(manifest) === PACKAGE_NAME) return folder
    if (dirname(folder) === folder) throw new Error(`No package.json of ${PACKAGE_NAME} above ${start}: the package's files are incomplete.`)
  }
}

/** The `name` of a package.json, or undefined when it has none or is not JSON. */
function readName(manifest: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'))
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string' ? parsed.name : undefined
  } catch {
    return undefined
  }
}
