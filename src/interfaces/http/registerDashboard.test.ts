import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import Fastify from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryEventStore } from '../../../test/createMemoryEventStore.js'
import { createTestStrategy } from '../../../test/createTestStrategy.js'
import { createFakeClock, createRecordingLogger } from '../../../test/fakePorts.js'
import { createMetrics } from '../../adapters/prometheus/createMetrics.js'
import { createDustManager } from '../../engine/createDustManager.js'
import { createHttpServer } from './createHttpServer.js'
import { DASHBOARD_CSP, registerDashboard } from './registerDashboard.js'

const closing: Array<{ close(): Promise<unknown> }> = []
const folders: string[] = []
afterEach(async () => {
  await Promise.all(closing.splice(0).map((server) => server.close()))
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function apiServer() {
  const strategies = [createTestStrategy()]
  const clock = createFakeClock()
  const logger = createRecordingLogger()
  const eventStore = createMemoryEventStore({ now: clock.now })
  const manager = createDustManager({ strategies, clock, logger, store: eventStore })
  const server = createHttpServer({ manager, strategies, eventStore, metrics: createMetrics({ strategies }), token: 'dashboard-test-token-0123', logger })
  closing.push(server)
  return { server, logger }
}

describe('registerDashboard', () => {
  it('serves the page at / from web/dashboard with a same-origin Content-Security-Policy, through createHttpServer', async () => {
    const { server } = apiServer()
    const page = await server.inject({ method: 'GET', url: '/' })
    expect(page.statusCode).toBe(200)
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(page.headers['content-security-policy']).toBe(DASHBOARD_CSP)
    expect(DASHBOARD_CSP).toContain("default-src 'self'")
    expect(DASHBOARD_CSP).not.toContain('unsafe-inline')
    expect(page.headers['x-content-type-options']).toBe('nosniff')
    expect(page.body).toBe(readFileSync(new URL('../../../web/dashboard/index.html', import.meta.url), 'utf8'))
    expect(page.body).toContain('<script type="module" src="/dashboard/app.js"></script>')
    const head = await server.inject({ method: 'HEAD', url: '/' })
    expect(head.statusCode).toBe(200)
  })

  it('serves its scripts and styles, and uPlot from node_modules, with their content types', async () => {
    const { server } = apiServer()
    const uplot = dirname(createRequire(import.meta.url).resolve('uplot'))
    const expected: Array<[string, string, string]> = [
      ['/dashboard/app.js', 'text/javascript; charset=utf-8', readFileSync(new URL('../../../web/dashboard/app.js', import.meta.url), 'utf8')],
      ['/dashboard/format.js', 'text/javascript; charset=utf-8', readFileSync(new URL('../../../web/dashboard/format.js', import.meta.url), 'utf8')],
      ['/dashboard/style.css', 'text/css; charset=utf-8', readFileSync(new URL('../../../web/dashboard/style.css', import.meta.url), 'utf8')],
      ['/dashboard/uplot.js', 'text/javascript; charset=utf-8', readFileSync(join(uplot, 'uPlot.esm.js'), 'utf8')],
      ['/dashboard/uplot.css', 'text/css; charset=utf-8', readFileSync(join(uplot, 'uPlot.min.css'), 'utf8')],
    ]
    for (const [url, type, body] of expected) {
      const response = await server.inject({ method: 'GET', url })
      expect([url, response.statusCode, response.headers['content-type']]).toEqual([url, 200, type])
      expect(response.body).toBe(body)
    }
    const icon = await server.inject({ method: 'GET', url: '/dashboard/icon.svg' })
    expect([icon.statusCode, icon.headers['content-type']]).toEqual([200, 'image/svg+xml'])
  })

  it("keeps the API's 404 and 405 answers: no other file is reachable, and the page takes GET only", async () => {
    const { server } = apiServer()
    const other = await server.inject({ method: 'GET', url: '/dashboard/../package.json' })
    expect(other.statusCode).toBe(404)
    expect(other.json()).toMatchObject({ error: { code: 'not_found' } })
    const missing = await server.inject({ method: 'GET', url: '/dashboard/nope.js' })
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: 'No route GET /dashboard/nope.js.' } })
    const post = await server.inject({ method: 'POST', url: '/' })
    expect(post.statusCode).toBe(405)
    expect(post.headers.allow).toBe('GET, HEAD')
    expect(post.json()).toEqual({ error: { code: 'method_not_allowed', message: 'Method POST is not allowed on /.\nExpected one of: GET, HEAD.' } })
  })

  it('serves the files of a given folder, and answers 500 internal_error when one of them is missing', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'dashboard-'))
    folders.push(folder)
    writeFileSync(join(folder, 'index.html'), '<!doctype html><title>t</title>')
    const app = Fastify()
    closing.push(app)
    registerDashboard(app, { directory: folder })
    const page = await app.inject({ method: 'GET', url: '/' })
    expect([page.statusCode, page.body]).toEqual([200, '<!doctype html><title>t</title>'])
    const missing = await app.inject({ method: 'GET', url: '/dashboard/app.js' })
    expect(missing.statusCode).toBe(500)
    // Read again on the next request: a file put in place later is served.
    writeFileSync(join(folder, 'app.js'), 'export {}')
    const found = await app.inject({ method: 'GET', url: '/dashboard/app.js' })
    expect([found.statusCode, found.body]).toEqual([200, 'export {}'])
  })
})
