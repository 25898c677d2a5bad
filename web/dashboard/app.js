// The dashboard of `dust serve`: a static page that reads this server's API every few seconds.
// Read-only without a token; with one (kept in sessionStorage, this tab only) it shows the scan
// and convert buttons. Amounts are the API's decimal strings, formatted by ./format.js; the
// only numbers are the chart's coordinates and the bars' widths, marked `float-ok`.
import { addDecimals, compareDecimals, formatAmount, formatDecimal, formatPercent, formatTime, parseDecimal } from './format.js'
import uPlot from './uplot.js'

const POLL_MS = 2000
const TOKEN_KEY = 'dust-api-token'
const THEME_KEY = 'dust-theme'
const EVENTS_PAGE = 1000
/** How many pages of new events one refresh reads at most. */
const EVENTS_PAGES = 20
/** How many pages of each strategy's tail the page reads when it opens. */
const TAIL_PAGES = 3
/** How many ratio points and failures the page keeps per strategy. */
const MAX_POINTS = 2000
const MAX_FAILURES = 20

const $ = (id) => document.getElementById(id)

/** Creates an element: `h('td', { class: 'num' }, 'text', child)`; text is always text, never HTML. */
function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue
    if (name === 'class') element.className = value
    else if (name === 'text') element.textContent = value
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value)
    else element.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue
    element.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return element
}

/** What the page has read so far, per strategy mode. */
const state = {
  /** The last event read (`next_since`), null until the page has read the log's newest event. */
  cursor: null,
  /** The strategies whose tail was read. */
  tailed: new Set(),
  strategies: [],
  /** mode -> { points: [[ms, ratio, delta]], policy, plan, failures: [] } */
  history: new Map(),
  views: new Map(),
  reachable: true,
}

function historyOf(mode) {
  let history = state.history.get(mode)
  if (!history) {
    history = { points: [], policy: null, plan: null, failures: [] }
    state.history.set(mode, history)
  }
  return history
}

// ---------------------------------------------------------------- the token

function token() {
  return sessionStorage.getItem(TOKEN_KEY)
}

function showTokenState() {
  const unlocked = token() !== null
  $('token-form').hidden = unlocked
  $('token-set').hidden = !unlocked
  for (const view of state.views.values()) view.actions.hidden = !unlocked
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault()
  const value = $('token-input').value.trim()
  if (value === '') return
  sessionStorage.setItem(TOKEN_KEY, value)
  $('token-input').value = ''
  showTokenState()
  $('token-forget').focus()
})

$('token-forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY)
  showTokenState()
  $('token-input').focus()
})

// ---------------------------------------------------------------- the theme

function applyTheme(choice) {
  if (choice === 'light' || choice === 'dark') document.documentElement.dataset.theme = choice
  else delete document.documentElement.dataset.theme
  $('theme-select').value = choice
  // The charts' colours come from CSS variables: they are drawn again in the new ones.
  for (const view of state.views.values()) view.chart?.destroy()
  for (const view of state.views.values()) view.chart = null
  for (const strategy of state.strategies) drawChart(strategy.mode)
}

$('theme-select').addEventListener('change', (event) => {
  const choice = event.target.value
  if (choice === 'auto') localStorage.removeItem(THEME_KEY)
  else localStorage.setItem(THEME_KEY, choice)
  applyTheme(choice)
})
window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme(localStorage.getItem(THEME_KEY) ?? 'auto'))

// ---------------------------------------------------------------- reading the API

class ApiDown extends Error {}

async function api(path, init = {}) {
  let response
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init.headers ?? {}) }, cache: 'no-store' })
  } catch (cause) {
    throw new ApiDown(`cannot reach ${path}`, { cause })
  }
  const body = await response.json().catch(() => null)
  if (response.status >= 500 && response.status !== 503) throw new ApiDown(`${path} answered ${response.status}`)
  return { status: response.status, body }
}

/**
 * Reads the events into each strategy's history: when the page opens, each strategy's tail, its
 * newest page first and back for at most TAIL_PAGES pages, so that the page shows the present at
 * once however long the log and however busy the other strategies; then, at each refresh, what
 * was recorded since, page by page.
 */
async function readEvents() {
  // When the page opens, the log's newest event: each tail is read up to it, and what comes after it forward.
  const cursor = state.cursor ?? (await readPage('/events?last=1')).next_since
  // A strategy first listed now (at opening, or after the server restarted with a new configuration) gets its tail,
  // which replaces what the forward reads absorbed of it, since the tail holds those events too.
  const fresh = state.strategies.map((strategy) => strategy.mode).filter((mode) => !state.tailed.has(mode))
  const tails = await Promise.all(fresh.map((mode) => readTail(mode, cursor + 1)))
  for (const [index, mode] of fresh.entries()) {
    state.history.delete(mode)
    historyOf(mode)
    // Oldest first, as they were recorded: the last plan, decision and failures are the newest.
    for (const { event, recorded_at: recordedAt } of tails[index]) absorb(event, recordedAt)
    state.tailed.add(mode)
  }
  state.cursor = cursor
  for (let count = 0; count < EVENTS_PAGES; count += 1) {
    const body = await readPage(`/events?since=${state.cursor}&limit=${EVENTS_PAGE}`)
    for (const { event, recorded_at: recordedAt } of body.events) absorb(event, recordedAt)
    state.cursor = body.next_since
    if (body.events.length < EVENTS_PAGE) return
  }
}

async function readPage(path) {
  const { status, body } = await api(path)
  if (status !== 200) throw new ApiDown(`/events answered ${status}`)
  return body
}

/** A strategy's events before `before`, the newest TAIL_PAGES pages at most, oldest first. */
async function readTail(mode, before) {
  const pages = []
  let end = before
  for (let count = 0; count < TAIL_PAGES && end !== null; count += 1) {
    const body = await readPage(`/events?strategy=${encodeURIComponent(mode)}&last=${EVENTS_PAGE}&before=${end}`)
    pages.unshift(body.events)
    end = body.prev_before
  }
  return pages.flat()
}

function absorb(event, recordedAt) {
  const history = historyOf(event.strategy_mode)
  switch (event.event_type) {
    case 'dust_checked':
      history.points.push([event.timestamp, event.snapshot.dust_ratio, event.snapshot.dust_delta])
      if (history.points.length > MAX_POINTS) history.points.splice(0, history.points.length - MAX_POINTS)
      // The dust_policy's decision of the last cycle (absent under the seed's threshold): holding is a decision too.
      // Kept with its cycle's time, so that it is shown only beside that cycle's snapshot.
      history.policy = event.dust_policy ? { ...event.dust_policy, at: event.timestamp } : null
      break
    case 'dust_detected':
      history.plan = event
      break
    case 'dust_conversion_failed':
      pushFailure(history, { at: event.timestamp, what: `${event.token} on ${event.venue}`, reason: event.reason, detail: event.detail, retryable: event.retryable })
      break
    case 'dust_cycle_failed':
      pushFailure(history, { at: event.timestamp ?? recordedAt, what: 'cycle', reason: event.code, detail: event.message, retryable: null })
      break
    case 'dust_warning':
      pushFailure(history, { at: event.timestamp ?? recordedAt, what: event.venue ?? event.token ?? 'strategy', reason: event.code, detail: event.message, retryable: null, warning: true })
      break
    default:
      break
  }
}

function pushFailure(history, failure) {
  history.failures.unshift(failure)
  history.failures.length = Math.min(history.failures.length, MAX_FAILURES)
}

async function refresh() {
  const { status, body } = await api('/strategies')
  if (status !== 200) throw new ApiDown(`/strategies answered ${status}`)
  state.strategies = body.strategies
  await readEvents()
  await Promise.all(
    state.strategies.map(async (strategy) => {
      const mode = encodeURIComponent(strategy.mode)
      const [snapshot, conversions] = await Promise.all([api(`/strategies/${mode}/snapshot`), api(`/conversions?strategy=${mode}`)])
      strategy.snapshot = snapshot.status === 200 ? snapshot.body : null
      strategy.conversions = conversions.status === 200 ? conversions.body.conversions : []
    }),
  )
  render()
}

async function loop() {
  try {
    await refresh()
    state.reachable = true
    $('api-error').hidden = true
    document.body.classList.remove('stale')
    $('refresh-status').textContent = `Updated at ${new Date().toLocaleTimeString()}; refreshing every ${POLL_MS / 1000} s.` // float-ok: seconds shown
  } catch (error) {
    if (!(error instanceof ApiDown)) console.error(error)
    state.reachable = false
    const banner = $('api-error')
    banner.textContent = `Cannot reach the API, retrying every ${POLL_MS / 1000} s. The figures below are from the last successful refresh.` // float-ok: seconds shown
    banner.hidden = false
    document.body.classList.add('stale')
    $('refresh-status').textContent = 'Cannot reach the API, retrying.'
  }
  setTimeout(loop, POLL_MS)
}

// ---------------------------------------------------------------- actions

async function runAction(mode, action, view) {
  const secret = token()
  if (secret === null) return
  view.result.textContent = `${action === 'scan' ? 'Scanning' : 'Converting'} ${mode}…`
  for (const button of view.actions.querySelectorAll('button')) button.disabled = true
  try {
    const { status, body } = await api(`/strategies/${encodeURIComponent(mode)}/${action}`, { method: 'POST', headers: { authorization: `Bearer ${secret}` } })
    if (status === 401) {
      sessionStorage.removeItem(TOKEN_KEY)
      showTokenState()
      view.result.textContent = 'The API refused the token: enter it again.'
    } else if (status !== 200) {
      view.result.textContent = `${action} failed: ${body?.error?.message ?? `status ${status}`}`
    } else if (action === 'scan') {
      view.result.textContent = `Scan done: ${body.instructions.length} conversion(s) planned, ${body.skipped.length} token(s) skipped, ${body.exceeds_threshold ? 'above' : 'below'} the threshold.`
    } else {
      const converted = body.outcomes.filter((outcome) => outcome.status === 'converted').length
      view.result.textContent = body.outcomes.length === 0 ? 'Convert done: nothing was due.' : `Convert done: ${converted} of ${body.outcomes.length} converted.`
    }
  } catch {
    view.result.textContent = `${action} failed: cannot reach the API.`
  } finally {
    for (const button of view.actions.querySelectorAll('button')) button.disabled = false
  }
}

// ---------------------------------------------------------------- rendering

function viewOf(strategy) {
  const { mode } = strategy
  let view = state.views.get(mode)
  if (view) return view
  const id = `s-${mode}`
  const result = h('p', { class: 'action-result', role: 'status', 'aria-live': 'polite' })
  const actions = h(
    'div',
    { class: 'actions', hidden: token() === null },
    h('button', { type: 'button', class: 'scan', 'data-action': 'scan', onclick: () => runAction(mode, 'scan', view) }, 'Scan'),
    h('button', { type: 'button', class: 'convert primary', 'data-action': 'convert', onclick: () => runAction(mode, 'convert', view) }, 'Convert'),
  )
  const element = h('section', { class: 'strategy', id, 'data-mode': mode, 'aria-labelledby': `${id}-title` })
  view = {
    element,
    actions,
    result,
    title: h('h2', { id: `${id}-title` }, mode),
    meta: h('p', { class: 'meta' }),
    figures: h('dl', { class: 'figures' }),
    chartBox: h('div', { class: 'chart', role: 'img', 'aria-label': `Dust ratio of ${mode} over time, against its dust_delta` }),
    dust: h('div', { class: 'panel' }),
    plan: h('div', { class: 'panel' }),
    conversions: h('div', { class: 'panel wide' }),
    failures: h('div', { class: 'panel wide' }),
    chart: null,
    chartLength: -1,
  }
  element.append(
    h('header', { class: 'strategy-head' }, h('div', {}, view.title, view.meta), h('div', { class: 'head-actions' }, actions, result)),
    view.figures,
    h('div', { class: 'panel wide' }, h('h3', {}, 'Dust ratio over time'), view.chartBox),
    h('div', { class: 'grid' }, view.dust, view.plan),
    view.conversions,
    view.failures,
  )
  state.views.set(mode, view)
  return view
}

function render() {
  const main = $('strategies')
  if (state.strategies.length === 0) {
    main.replaceChildren(h('p', { class: 'empty' }, 'This server runs no strategy.'))
    return
  }
  const sections = state.strategies.map((strategy) => {
    const view = viewOf(strategy)
    renderStrategy(strategy, view)
    return view.element
  })
  // Sections are kept between refreshes, so that focus and the charts stay where they are.
  if (sections.some((section, index) => main.children[index] !== section) || main.children.length !== sections.length) main.replaceChildren(...sections)
  for (const strategy of state.strategies) drawChart(strategy.mode)
}

function figure(label, value, attributes = {}) {
  return h('div', { class: 'figure' }, h('dt', {}, label), h('dd', attributes, value))
}

function renderStrategy(strategy, view) {
  const snapshot = strategy.snapshot
  const share = strategy.share_class
  view.meta.textContent = `${share} share class · ${strategy.execution_mode} · checks every ${strategy.dust_monitoring_interval} s`
  if (!snapshot) {
    view.figures.replaceChildren(figure('Dust ratio', 'no snapshot yet', { class: 'muted' }))
  } else {
    const above = snapshot.exceeds_threshold
    view.figures.replaceChildren(
      figure('Dust ratio', formatPercent(snapshot.dust_ratio), { class: `big ${above ? 'warn' : 'good'}`, 'data-field': 'dust-ratio', 'data-exact': snapshot.dust_ratio, title: snapshot.dust_ratio }),
      figure('dust_delta', formatPercent(snapshot.dust_delta, 2), { class: 'big', 'data-field': 'dust-delta', 'data-exact': snapshot.dust_delta }),
      figure('Status', above ? 'Above threshold' : 'Below threshold', { class: `badge ${above ? 'warn' : 'ok'}`, 'data-field': 'status' }),
      figure(`Dust (${share})`, formatDecimal(snapshot.total_dust_value), { 'data-field': 'total-dust', 'data-exact': snapshot.total_dust_value }),
      figure(`Equity (${share})`, formatDecimal(snapshot.equity), { 'data-exact': snapshot.equity }),
      figure('Checked', formatTime(snapshot.timestamp)),
    )
    const failed = snapshot.incomplete_equity?.failed_sources ?? []
    if (snapshot.incomplete_equity) view.figures.append(figure('Snapshot', `incomplete: ${failed.join(', ') || 'a source'} failed`, { class: 'badge warn', 'data-field': 'incomplete' }))
  }
  const policy = historyOf(strategy.mode).policy
  // A decision of another cycle (one the snapshot is not from yet, or a process before a restart) is not shown beside this snapshot.
  if (policy && snapshot && policy.at === snapshot.timestamp) view.figures.append(figure('dust_policy', `${policy.name}: ${policy.converts ? 'converts now' : 'holds'} (${policy.why})`, { 'data-field': 'dust-policy' }))
  renderDust(snapshot, share, view.dust)
  renderPlan(historyOf(strategy.mode).plan, share, view.plan)
  renderConversions(strategy, view.conversions)
  renderFailures(historyOf(strategy.mode).failures, view.failures)
}

function table(caption, headings, rows, empty) {
  if (rows.length === 0) return [h('h3', {}, caption), h('p', { class: 'empty' }, empty)]
  return [
    h('h3', {}, caption),
    h(
      'div',
      { class: 'scroll', tabindex: '0', role: 'region', 'aria-label': caption },
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            headings.map((heading) => h('th', { scope: 'col', class: heading.startsWith('#') ? 'num' : '' }, heading.replace(/^#/, ''))),
          ),
        ),
        h('tbody', {}, rows),
      ),
    ),
  ]
}

function renderDust(snapshot, share, panel) {
  const tokens = snapshot?.dust_tokens ?? []
  // The bars' widths are display only: the largest value is 100 %.
  const largest = Math.max(1e-18, ...tokens.map((token) => Number(token.value))) // float-ok: bar widths
  const rows = tokens.map((token) => {
    const bar = h('span', { class: 'bar' })
    bar.style.width = `${Math.max(1, (Number(token.value) / largest) * 100)}%` // float-ok: bar widths
    return h(
      'tr',
      { 'data-token': token.token, 'data-venue': token.venue },
      h('th', { scope: 'row' }, token.token),
      h('td', {}, token.venue, h('span', { class: 'sub' }, token.source.replaceAll('_', ' '))),
      h('td', { class: 'num', 'data-exact': token.amount }, formatAmount(token.amount)),
      h('td', { class: 'num', 'data-exact': token.value }, formatDecimal(token.value)),
      h('td', { class: 'bar-cell', 'aria-hidden': 'true' }, bar),
    )
  })
  const unpriced = (snapshot?.unpriced_tokens ?? []).map((token) => h('li', {}, `${token.token ?? token} has no price: not counted.`))
  panel.replaceChildren(...table('Dust by token and venue', ['Token', 'Venue', '#Amount', `#Value (${share})`, ''], rows, snapshot ? 'No dust.' : 'No snapshot yet.'))
  if (unpriced.length > 0) panel.append(h('ul', { class: 'notes' }, unpriced))
}

function renderPlan(plan, share, panel) {
  if (!plan) {
    panel.replaceChildren(h('h3', {}, 'Last plan'), h('p', { class: 'empty' }, 'No plan yet: a plan is made when the dust is above dust_delta.'))
    return
  }
  const planned = plan.conversion_instructions.map((instruction) =>
    h(
      'tr',
      { 'data-token': instruction.token },
      h('th', { scope: 'row' }, instruction.token),
      h('td', { class: 'num' }, formatAmount(instruction.amount)),
      h('td', {}, instruction.venue, h('span', { class: 'sub' }, instruction.conversion_path.join(' → '))),
      h('td', { class: 'num' }, formatDecimal(instruction.net_output)),
      h('td', { class: 'reason' }, instruction.reason ?? ''),
    ),
  )
  const skipped = plan.skipped.map((skip) =>
    h(
      'tr',
      { 'data-token': skip.token, class: 'skipped' },
      h('th', { scope: 'row' }, skip.token),
      h('td', { class: 'num' }, skip.amount ? formatAmount(skip.amount) : '—'),
      h('td', {}, h('span', { class: 'badge muted' }, 'not converted'), h('span', { class: 'sub' }, skip.reason.replaceAll('_', ' '))),
      h('td', { class: 'num' }, '—'),
      h('td', { class: 'reason' }, skip.detail),
    ),
  )
  panel.replaceChildren(...table(`Last plan (${formatTime(plan.timestamp)})`, ['Token', '#Amount', 'Venue / route', `#Net (${share})`, 'Why'], [...planned, ...skipped], 'The plan was empty.'))
}

function stateClass(value) {
  if (value === 'confirmed') return 'ok'
  if (value === 'failed' || value === 'abandoned') return 'bad'
  return 'warn'
}

function renderConversions(strategy, panel) {
  const records = [...(strategy.conversions ?? [])].sort((a, b) => b.created_at - a.created_at)
  const rows = records.map((record) => {
    // What really happened: the outcome /conversions gives once it converted (its dust_converted event).
    const real = record.outcome
    const instruction = record.instruction ?? {}
    const gas = real ? addDecimals((real.steps ?? []).map((step) => step.gas_cost).filter((cost) => cost !== undefined)) : null
    const fees = real?.fees
    // `null` when recovery found the sale confirmed but not what arrived.
    const unseen = real !== undefined && real.output === null
    const arrived = real === undefined ? '—' : unseen ? '?' : formatDecimal(real.output)
    const worse = fees && instruction.estimated_fees && compareDecimals(fees, instruction.estimated_fees) > 0
    return h(
      'tr',
      { 'data-conversion': record.id, 'data-state': record.state },
      h('th', { scope: 'row' }, record.token, h('span', { class: 'sub' }, formatTime(record.created_at))),
      h('td', {}, record.venue),
      h('td', {}, h('span', { class: `badge ${stateClass(record.state)}`, 'data-field': 'state' }, record.state)),
      h('td', { class: 'num' }, formatAmount(instruction.amount ?? '')),
      h('td', { class: 'num' }, formatDecimal(instruction.estimated_output), h('span', { class: 'sub', title: unseen ? 'Confirmed by recovery, which could not see what arrived; the balances show it.' : undefined }, arrived)),
      h('td', { class: 'num' }, formatDecimal(instruction.estimated_fees), h('span', { class: `sub ${worse ? 'warn-text' : ''}` }, fees ? formatDecimal(fees) : '—')),
      h('td', { class: 'num' }, instruction.costs ? formatDecimal(instruction.costs.gas_cost) : '—', h('span', { class: 'sub' }, gas ? `${formatAmount(gas, 8)} native` : '—')),
      h('td', { class: 'refs' }, record.references.length === 0 ? '—' : record.references.map((reference) => h('code', { class: 'ref', title: reference, 'data-ref': reference }, reference))),
      record.detail ? h('td', { class: 'reason' }, record.detail) : h('td', {}),
    )
  })
  const share = strategy.share_class
  panel.replaceChildren(
    ...table(
      'Conversions: planned, and what happened below it',
      ['Token', 'Venue', 'State', '#Amount', `#Output (${share})`, '#Fees', `#Gas: planned (${share}), used (native)`, 'Transactions and orders', 'Detail'],
      rows,
      'No conversion yet.',
    ),
  )
}

function renderFailures(failures, panel) {
  const rows = failures.map((failure) =>
    h(
      'tr',
      { class: 'failure', 'data-kind': failure.warning ? 'warning' : 'failure' },
      h('th', { scope: 'row' }, formatTime(failure.at)),
      h('td', {}, failure.what),
      h('td', {}, h('span', { class: `badge ${failure.warning ? 'warn' : 'bad'}` }, failure.reason.replaceAll('_', ' '))),
      h('td', {}, failure.retryable === null ? '—' : failure.retryable ? 'yes' : 'no'),
      h('td', { class: 'reason' }, failure.detail),
    ),
  )
  panel.replaceChildren(...table('Failures and warnings', ['When', 'What', 'Reason', 'Retryable', 'Detail'], rows, 'No failure or warning recorded.'))
}

function cssColor(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

function drawChart(mode) {
  const view = state.views.get(mode)
  if (!view) return
  const points = historyOf(mode).points
  // Chart coordinates only: seconds and percentages as numbers, never summed into an amount.
  const data = [
    points.map(([ms]) => ms / 1000), // float-ok: chart x
    points.map(([, ratio]) => (parseDecimal(ratio) ? Number(ratio) * 100 : null)), // float-ok: chart y
    points.map(([, , delta]) => (parseDecimal(delta) ? Number(delta) * 100 : null)), // float-ok: chart y
  ]
  const width = Math.max(280, view.chartBox.clientWidth || 600)
  if (view.chart && view.chartLength === points.length) return
  if (view.chart) {
    view.chart.setData(data)
    view.chartLength = points.length
    return
  }
  if (points.length === 0) {
    view.chartBox.replaceChildren(h('p', { class: 'empty' }, 'No check recorded yet.'))
    return
  }
  view.chartBox.replaceChildren()
  const percent = (_chart, values) => values.map((value) => (value === null ? '' : `${value.toFixed(3)} %`)) // float-ok: axis labels
  view.chart = new uPlot(
    {
      width,
      height: 220,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: { y: { range: (_chart, min, max) => [0, Math.max(max ?? 0, min ?? 0) * 1.15 || 1] } }, // float-ok: axis range
      axes: [
        { stroke: cssColor('--muted'), grid: { stroke: cssColor('--grid') }, ticks: { stroke: cssColor('--grid') } },
        { stroke: cssColor('--muted'), grid: { stroke: cssColor('--grid') }, ticks: { stroke: cssColor('--grid') }, values: percent, size: 70 },
      ],
      series: [
        { label: 'time' },
        {
          label: 'dust ratio',
          stroke: cssColor('--accent'),
          width: 2,
          fill: cssColor('--accent-fill'),
          points: { show: points.length < 60 },
          value: (_chart, value) => (value === null ? '—' : `${value.toFixed(4)} %`), // float-ok: legend
        },
        { label: 'dust_delta', stroke: cssColor('--warn'), width: 1.5, dash: [6, 4], points: { show: false }, value: (_chart, value) => (value === null ? '—' : `${value.toFixed(4)} %`) }, // float-ok: legend
      ],
    },
    data,
    view.chartBox,
  )
  view.chartLength = points.length
}

const resize = new ResizeObserver(() => {
  for (const view of state.views.values()) view.chart?.setSize({ width: Math.max(280, view.chartBox.clientWidth), height: 220 })
})
resize.observe($('strategies'))

applyTheme(localStorage.getItem(THEME_KEY) ?? 'auto')
showTokenState()
loop()
