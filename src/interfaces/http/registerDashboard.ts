import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { BaseError } from '../../errors/index.js'

/** The dashboard's own folder, shipped with the package beside `dist/`. */
const DASHBOARD_FOLDER = join('web', 'dashboard')

/**
 * The page's policy: everything from this origin, nothing inline, nothing framed. uPlot sets
 * styles through the CSSOM, which a `style-src` without `'unsafe-inline'` allows.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const HTML = 'text/html; charset=utf-8'
const JS = 'text/javascript; charset=utf-8'
const CSS = 'text/css; charset=utf-8'
const SVG = 'image/svg+xml'

type Asset = { readonly url: string; readonly type: string; readonly file: (folders: { dashboard: string; uplot: string }) => string }

/** Every file the page loads, by URL: a fixed list, so that no request reaches another file. */
const ASSETS: readonly Asset[] = [
  { url: '/', type: HTML, file: ({ dashboard }) => join(dashboard, 'index.html') },
  { url: '/dashboard/app.js', type: JS, file: ({ dashboard }) => join(dashboard, 'app.js') },
  { url: '/dashboard/format.js', type: JS, file: ({ dashboard }) => join(dashboard, 'format.js') },
  { url: '/dashboard/style.css', type: CSS, file: ({ dashboard }) => join(dashboard, 'style.css') },
  { url: '/dashboard/icon.svg', type: SVG, file: ({ dashboard }) => join(dashboard, 'icon.svg') },
  { url: '/dashboard/uplot.js', type: JS, file: ({ uplot }) => join(uplot, 'uPlot.esm.js') },
  { url: '/dashboard/uplot.css', type: CSS, file: ({ uplot }) => join(uplot, 'uPlot.min.css') },
]

export type RegisterDashboardParameters = {
  /** The folder of the page's files; found beside the package's `dist/` (or `src/`) when absent. */
  directory?: string | undefined
}

/** Walks up from this module's folder to the first one holding `web/dashboard/index.html`. */
function findDashboardDirectory(): string {
  let folder = dirname(fileURLToPath(import.meta.url))
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = join(folder, DASHBOARD_FOLDER)
    if (existsSync(join(candidate, 'index.html'))) return candidate
    const parent = dirname(folder)
    if (parent === folder) break
    folder = parent
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', DASHBOARD_FOLDER)
}

/**
 * Registers the dashboard on the HTTP server: `GET /` serves the page and `GET /dashboard/…`
 * its scripts, styles and uPlot (read from node_modules), each with a Content-Security-Policy
 * of this origin only. The page is static and reads the API like any client; its files are read
 * once, on their first request. A missing file is a 500 `internal_error` whose log names it.
 */
export function registerDashboard<App extends Pick<FastifyInstance, 'get'>>(app: App, parameters: RegisterDashboardParameters = {}): void {
  const dashboard = parameters.directory ?? findDashboardDirectory()
  const uplot = dirname(createRequire(import.meta.url).resolve('uplot'))
  const cache = new Map<string, Promise<Buffer>>()
  const read = (file: string): Promise<Buffer> => {
    const cached = cache.get(file)
    if (cached) return cached
    const reading = readFile(file).catch((cause: unknown) => {
      cache.delete(file)
      throw new BaseError('A file of the dashboard cannot be read.', { code: 'internal_error', details: `Expected ${file} to be shipped with the package.`, cause })
    })
    cache.set(file, reading)
    return reading
  }
  for (const asset of ASSETS) {
    const file = asset.file({ dashboard, uplot })
    app.get(asset.url, async (_request, reply) => {
      const body = await read(file)
      return reply
        .type(asset.type)
        .header('content-security-policy', DASHBOARD_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(body)
    })
  }
}
