import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_HOLDINGS } from '../../src/app/createDemoWorld.js'
import { launchChromium } from './launchChromium.js'
import { type DemoServe, startDemoServe } from './startDemoServe.js'

const TOKEN = 'dashboard-browser-token-0123456789'
const MODE = 'usdt_eth_staking_hedged_simple'
/**
 * Where the light and dark screenshots go: the README's pictures under docs/screenshots with
 * UPDATE_SCREENSHOTS=1, else a temporary folder (they are taken on every run, and the times and
 * hashes they show change with each one).
 */
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? new URL('../../docs/screenshots/', import.meta.url) : pathToFileURL(`${mkdtempSync(join(tmpdir(), 'dust-screenshots-'))}/`)
/** How long the page may take to show what the API holds: it polls every 2 s. */
const WAIT = { timeout: 20_000 }

type Snapshot = { dust_ratio: string; dust_delta: string; total_dust_value: string; dust_tokens: Array<{ token: string; venue: string; amount: string }> }
type ConvertAnswer = { outcomes: Array<{ conversion_id: string; status: string; steps: Array<{ reference: string }> }> }

let demo: DemoServe
let base: string
let browser: Awaited<ReturnType<typeof launchChromium>>
let page: Page
const pageErrors: string[] = []
/** The theme the page chose (its `data-theme`, null for the system's) and the colour scheme in force; page code, as text (these files see no DOM types). */
const THEME = '[document.documentElement.dataset.theme ?? null, getComputedStyle(document.documentElement).colorScheme]'

async function post(path: string): Promise<unknown> {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })
  expect(response.status).toBe(200)
  return response.json()
}

/** The buttons a user can see and reach, by their action. */
async function visibleActions(): Promise<string[]> {
  return page.locator('button[data-action]:visible').evaluateAll((buttons) => buttons.map((button) => button.getAttribute('data-action') ?? ''))
}

beforeAll(async () => {
  demo = await startDemoServe({ token: TOKEN })
  base = await demo.startServer()
  browser = await launchChromium()
  page = await browser.context.newPage()
  page.on('pageerror', (error) => pageErrors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text())
  })
})

afterAll(async () => {
  await browser?.close()
  await demo?.stop()
  if (process.env.UPDATE_SCREENSHOTS !== '1') rmSync(SCREENSHOTS, { recursive: true, force: true })
})

describe('the dashboard of dust serve, in Chromium', () => {
  it("renders the demo strategy's ratio, dust_delta, dust by token and venue, and its plan", async () => {
    await post(`/strategies/${MODE}/scan`)
    const snapshot = (await (await fetch(`${base}/strategies/${MODE}/snapshot`)).json()) as Snapshot
    await page.goto(`${base}/`)
    const ratio = page.locator(`section[data-mode="${MODE}"] [data-field="dust-ratio"]`)
    await ratio.waitFor(WAIT)
    expect(await ratio.getAttribute('data-exact')).toBe(snapshot.dust_ratio)
    // The ratio as a percentage, four digits after the point: 0.0029938… is 0.2994 %.
    expect(snapshot.dust_ratio).toMatch(/^0\.0029938/)
    expect(await ratio.textContent()).toBe('0.2994 %')
    expect(await page.locator('[data-field="dust-delta"]').textContent()).toBe('0.20 %')
    expect(await page.locator('[data-field="status"]').textContent()).toBe('Above threshold')
    expect(await page.locator('[data-field="total-dust"]').getAttribute('data-exact')).toBe(snapshot.total_dust_value)
    const dustRows = await page
      .locator('tr[data-venue]')
      .evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-token'), row.getAttribute('data-venue'), row.querySelector('td.num')?.textContent]))
    expect(dustRows).toEqual([
      ['EIGEN', 'wallet', '1,200'],
      ['EIGEN', 'etherfi_eigen', '4,354'],
      ['ETHFI', 'etherfi_ethfi', '1,068'],
    ])
    expect(DEMO_HOLDINGS.walletEigen).toBe('1200')
    expect(await page.locator('h3', { hasText: 'Last plan' }).count()).toBe(1)
    expect(await page.locator('.panel tr[data-token="EIGEN"] td.reason').first().textContent()).toContain('nets the most')
    // The ratio chart is drawn (uPlot's canvas), with its threshold series.
    expect(await page.locator(`section[data-mode="${MODE}"] .chart canvas`).count()).toBe(1)
    expect(await page.locator('.u-legend').textContent()).toContain('dust_delta')
  })

  it("formats the API's decimal strings exactly, without floating point (the page's format.js)", async () => {
    const formatted = await page.evaluate(`import('/dashboard/format.js').then((f) => [
      f.formatPercent('0.002993876121121097'),
      f.formatPercent('0.002', 2),
      f.formatDecimal('1234567.125', 2),
      f.formatDecimal('-0.004', 2),
      f.formatDecimal('9007199254740993.5', 0),
      f.formatAmount('0.000063658082294097', 8),
      f.formatAmount('1200'),
      f.addDecimals(['0.1', '0.2']),
      f.addDecimals(['0.000063658082294097', '0.000046694780996292']),
      f.compareDecimals('10.81', '10.810246'),
      f.formatDecimal('not a number'),
    ])`)
    expect(formatted).toEqual(['0.2994 %', '0.20 %', '1,234,567.13', '0.00', '9,007,199,254,740,994', '0.00006366', '1,200', '0.3', '0.000110352863290389', -1, 'not a number'])
  })

  it('hides scan and convert without the token, shows them once it is entered, and scans with it', async () => {
    expect(await visibleActions()).toEqual([])
    expect(await page.locator('#token-input').isVisible()).toBe(true)
    await page.locator('#token-input').fill(TOKEN)
    await page.getByRole('button', { name: 'Unlock actions' }).click()
    expect(await visibleActions()).toEqual(['scan', 'convert'])
    // Kept for the tab: a reload keeps the actions; the token is in sessionStorage, not in the page.
    expect(await page.evaluate("sessionStorage.getItem('dust-api-token')")).toBe(TOKEN)
    await page.reload()
    await page.locator('button[data-action="scan"]').waitFor(WAIT)
    expect(await visibleActions()).toEqual(['scan', 'convert'])
    await page.locator('button[data-action="scan"]').click()
    await page.locator('.action-result', { hasText: 'Scan done: 2 conversion(s) planned' }).waitFor(WAIT)
    await page.getByRole('button', { name: 'Forget token' }).click()
    expect(await visibleActions()).toEqual([])
    expect(await page.evaluate("sessionStorage.getItem('dust-api-token')")).toBeNull()
  })

  it('works from the keyboard: skip link, token field, unlock, then the scan button, with an aria-live status', async () => {
    await page.reload()
    await page.locator('[data-field="dust-ratio"]').waitFor(WAIT)
    const focused = "document.activeElement?.id || document.activeElement?.getAttribute('data-action') || document.activeElement?.textContent"
    await page.keyboard.press('Tab')
    expect(await page.evaluate(focused)).toBe('Skip to the strategies')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(focused)).toBe('token-input')
    await page.keyboard.type(TOKEN)
    await page.keyboard.press('Enter')
    expect(await page.evaluate(focused)).toBe('token-forget')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(focused)).toBe('theme-select')
    await page.keyboard.press('Tab')
    expect(await page.evaluate(focused)).toBe('scan')
    await page.keyboard.press('Enter')
    await page.locator('.action-result', { hasText: 'Scan done' }).waitFor(WAIT)
    expect(await page.locator('#refresh-status').getAttribute('aria-live')).toBe('polite')
    expect(await page.locator('.action-result').getAttribute('role')).toBe('status')
  })

  it('shows a conversion made through the API, its state and its transaction hashes, without a reload', async () => {
    await page.evaluate('window.dustSamePage = true')
    const answer = (await post(`/strategies/${MODE}/convert`)) as ConvertAnswer
    expect(answer.outcomes.map((outcome) => outcome.status)).toEqual(['converted', 'converted'])
    for (const outcome of answer.outcomes) {
      const row = page.locator(`tr[data-conversion="${outcome.conversion_id}"]`)
      await row.and(page.locator('[data-state="confirmed"]')).waitFor(WAIT)
      const shown = await row.locator('code[data-ref]').evaluateAll((codes) => codes.map((code) => code.textContent))
      expect(shown).toEqual(outcome.steps.map((step) => step.reference))
    }
    expect(answer.outcomes.flatMap((outcome) => outcome.steps.map((step) => step.reference)).filter((reference) => /^0x[0-9a-f]{64}$/.test(reference)).length).toBe(5)
    expect(await page.evaluate('window.dustSamePage')).toBe(true)

    mkdirSync(SCREENSHOTS, { recursive: true })
    await page.emulateMedia({ colorScheme: 'light' })
    // No focus ring in the pictures.
    await page.evaluate('document.activeElement?.blur()')
    await page.screenshot({ path: new URL('dashboard-light.png', SCREENSHOTS).pathname, fullPage: true })
    await page.emulateMedia({ colorScheme: 'dark' })
    // The charts are drawn again in the dark theme's colours; the page's background says it is dark.
    await page.waitForFunction("getComputedStyle(document.documentElement).colorScheme === 'dark'", undefined, WAIT)
    await page.screenshot({ path: new URL('dashboard-dark.png', SCREENSHOTS).pathname, fullPage: true })
    for (const name of ['dashboard-light.png', 'dashboard-dark.png']) expect(statSync(new URL(name, SCREENSHOTS)).size).toBeGreaterThan(20_000)
    await page.emulateMedia({ colorScheme: 'light' })
  })

  it("shows what the strategy's dust_policy decided in the cycle of the snapshot shown, read from the dust_checked events, and no other cycle's", async () => {
    // The last cycle's dust_checked: the snapshot the page shows is that cycle's.
    const checked = (await demo.store.read({ strategyMode: MODE, limit: 10_000 })).filter((stored) => stored.event.event_type === 'dust_checked').at(-1)?.event
    if (checked?.event_type !== 'dust_checked') throw new Error('The demo recorded no dust_checked event.')
    const field = page.locator(`section[data-mode="${MODE}"] [data-field="dust-policy"]`)
    expect(await field.count()).toBe(0)
    // What a monitor with `dust_policy: gas_aware` records for that cycle when it holds above dust_delta.
    await demo.store.append([{ ...checked, dust_policy: { name: 'gas_aware', converts: false, why: 'the policy holds' } }])
    await field.waitFor(WAIT)
    expect(await field.textContent()).toBe('gas_aware: holds (the policy holds)')
    // A decision of a later cycle, whose snapshot the page does not have, is not shown beside this one.
    await demo.store.append([{ ...checked, timestamp: checked.timestamp + 1_000, dust_policy: { name: 'gas_aware', converts: true, why: 'gas is cheap' } }])
    await field.waitFor({ state: 'detached', ...WAIT })
    expect(await page.locator(`section[data-mode="${MODE}"] [data-field="dust-ratio"]`).count()).toBe(1)
  })

  it("reads each strategy's tail first, so a page opened later shows the newest events, and each conversion's outcome from /conversions", async () => {
    const events = await demo.store.read({ last: 1 })
    const timestamp = events[0]?.event.timestamp ?? 0
    // More than the page reads back (3 pages of 1,000): the conversions' dust_converted events fall out of its reach.
    await demo.store.append(
      Array.from({ length: 3_500 }, (_, index) => ({
        event_type: 'dust_warning' as const,
        strategy_mode: MODE,
        timestamp: timestamp + index,
        code: 'source_failed' as const,
        message: `backlog ${index + 1}`,
      })),
    )
    const response = await fetch(`${base}/conversions?strategy=${MODE}`)
    const { conversions } = (await response.json()) as { conversions: Array<{ id: string; outcome?: { output: string } }> }
    expect(conversions.length).toBe(2)
    const opened = await browser.context.newPage()
    const reads: string[] = []
    opened.on('request', (request) => {
      const url = new URL(request.url())
      if (url.pathname === '/events') reads.push(url.search)
    })
    opened.on('pageerror', (error) => pageErrors.push(error.message))
    try {
      await opened.goto(base)
      const newest = opened.locator('tr[data-kind="warning"] td.reason').first()
      await newest.waitFor(WAIT)
      expect(await newest.textContent()).toBe('backlog 3500')
      // The log's newest event, then the strategy's tail back from it, three pages; never the log from its start.
      expect(reads[0]).toBe('?last=1')
      expect(reads.slice(1, 4)).toEqual([
        expect.stringMatching(new RegExp(`^\\?strategy=${MODE}&last=1000&before=\\d+$`)),
        expect.stringMatching(new RegExp(`^\\?strategy=${MODE}&last=1000&before=\\d+$`)),
        expect.stringMatching(new RegExp(`^\\?strategy=${MODE}&last=1000&before=\\d+$`)),
      ])
      expect(reads.some((search) => search.startsWith('?since=0&'))).toBe(false)
      // What each conversion really gave comes with it from /conversions, however old its dust_converted event.
      for (const conversion of conversions) {
        if (conversion.outcome === undefined) throw new Error(`Conversion ${conversion.id} has no outcome.`)
        const expected = await opened.evaluate(`import('/dashboard/format.js').then((f) => f.formatDecimal(${JSON.stringify(conversion.outcome.output)}))`)
        const real = opened.locator(`tr[data-conversion="${conversion.id}"] td.num`).nth(1).locator('.sub')
        expect(await real.textContent()).toBe(expected)
      }
    } finally {
      await opened.close()
    }
  })

  it('reads the tail of a strategy listed only later, once, in place of what it had read of it going forward', async () => {
    const opened = await browser.context.newPage()
    const tails: string[] = []
    opened.on('request', (request) => {
      const url = new URL(request.url())
      if (url.pathname === '/events' && url.searchParams.get('strategy') === 'usdt_other') tails.push(url.search)
    })
    opened.on('pageerror', (error) => pageErrors.push(error.message))
    try {
      await opened.goto(base)
      await opened.locator(`section[data-mode="${MODE}"]`).waitFor(WAIT)
      const timestamp = (await demo.store.read({ last: 1 }))[0]?.event.timestamp ?? 0
      await demo.store.append(
        [1, 2, 3].map((index) => ({ event_type: 'dust_warning' as const, strategy_mode: 'usdt_other', timestamp: timestamp + index, code: 'source_failed' as const, message: `other ${index}` })),
      )
      // A read forward that started after the append: the page has absorbed the three warnings of a strategy it does not list.
      const forward = await opened.waitForRequest((request) => new URL(request.url()).searchParams.has('since'), WAIT)
      await forward.response()
      // As after a restart of the server with a second strategy in its configuration.
      await opened.route('**/strategies', async (route) => {
        const response = await route.fetch()
        const body = (await response.json()) as { strategies: Array<Record<string, unknown>> }
        const [first] = body.strategies
        await route.fulfill({ response, json: { strategies: [...body.strategies, { ...first, mode: 'usdt_other', dust_ratio: null, exceeds_threshold: null, checked_at: null }] } })
      })
      const warnings = opened.locator('section[data-mode="usdt_other"] tr[data-kind="warning"] td.reason')
      await warnings.first().waitFor(WAIT)
      expect(await warnings.allTextContents()).toEqual(['other 3', 'other 2', 'other 1'])
      expect(tails).toEqual([expect.stringMatching(/^\?strategy=usdt_other&last=1000&before=\d+$/)])
    } finally {
      await opened.close()
    }
  })

  it('switches theme from the menu, whatever the system prefers', async () => {
    await page.locator('#theme-select').selectOption('dark')
    expect(await page.evaluate(THEME)).toEqual(['dark', 'dark'])
    await page.locator('#theme-select').selectOption('auto')
    expect(await page.evaluate(THEME)).toEqual([null, 'light'])
  })

  it('shows that the API cannot be reached while the server is down, and recovers when it is back', async () => {
    const banner = page.locator('#api-error')
    expect(await banner.isVisible()).toBe(false)
    await demo.stopServer()
    await banner.waitFor({ state: 'visible', ...WAIT })
    expect(await banner.textContent()).toContain('Cannot reach the API, retrying')
    expect(await page.locator('#refresh-status').textContent()).toBe('Cannot reach the API, retrying.')
    // What was read last stays on the page, dimmed.
    expect(await page.locator('[data-field="dust-ratio"]').count()).toBe(1)
    await demo.startServer()
    await banner.waitFor({ state: 'hidden', ...WAIT })
    expect(await page.locator('#refresh-status').textContent()).toMatch(/^Updated at /)
  })

  it('shows the failed sources and the incomplete snapshot when the chain stops answering', async () => {
    await demo.chain.stop()
    await post(`/strategies/${MODE}/scan`)
    const incomplete = page.locator('[data-field="incomplete"]')
    await incomplete.waitFor(WAIT)
    expect(await incomplete.textContent()).toBe('incomplete: wallet, etherfi_eigen, etherfi_ethfi failed')
    const warnings = await page.locator('tr[data-kind="warning"] td.reason').allTextContents()
    // Every chunk of the cycle fails alike; the wallet reports the one of its first read.
    expect(warnings.find((warning) => warning.startsWith('Balance source wallet failed'))).toMatch(
      /^Balance source wallet failed: The local node did not answer the batched read of \d+ call\(s\)\.\nThe request to the node failed \(ECONNREFUSED\)\.$/,
    )
    expect(warnings.some((warning) => warning.startsWith('The equity and dust of usdt_eth_staking_hedged_simple are incomplete'))).toBe(true)
  })

  it('ran without a script error or a refused resource (Content-Security-Policy)', () => {
    // The console errors while the server was down are the failed fetches, which the page reports itself.
    expect(pageErrors.filter((error) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(error))).toEqual([])
  })
})
