import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createTestStrategy } from '../../../test/createTestStrategy.js'
import { createFakeClock, createRecordingLogger } from '../../../test/fakePorts.js'
import { INSTRUCTION_JSON } from '../../../test/fixtureInstructionJson.js'
import { FIXED_TIME } from '../../../test/fixtureMoney.js'
import type { DustEvent } from '../../domain/events.js'
import { createDustManager } from '../../engine/createDustManager.js'
import { createWebhookNotifier } from './createWebhookNotifier.js'

type Received = { method: string | undefined; path: string | undefined; contentType: string | undefined; body: unknown }

/** A local webhook: answers each post with the next status of `statuses` (the last one repeats), or holds it. */
async function startWebhook(statuses: Array<number | 'hold'> = [200]) {
  const received: Received[] = []
  const held: ServerResponse[] = []
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ method: request.method, path: request.url, contentType: request.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
      const status = statuses[Math.min(received.length, statuses.length) - 1] ?? 200
      if (status === 'hold') return void held.push(response)
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no_service')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const response of held) response.destroy()
      server.closeAllConnections()
      server.close(() => resolve())
    })
  stops.push(stop)
  return { url: `http://127.0.0.1:${port}/services/T000/B000/secret`, port, received, stop }
}

const stops: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()))
})

const failed: DustEvent = {
  event_type: 'dust_conversion_failed',
  strategy_mode: 'usdt_test',
  timestamp: FIXED_TIME,
  conversion_id: 'c1',
  token: 'EIGEN',
  venue: 'binance',
  amount: '1520',
  reason: 'insufficient_funds',
  detail: 'binance holds 0 EIGEN < 1520',
  retryable: false,
  steps: [],
}

describe('createWebhookNotifier', () => {
  it('posts Slack JSON for the chosen events of a real cycle, and nothing for the others', async () => {
    const webhook = await startWebhook()
    const logger = createRecordingLogger()
    const notifier = createWebhookNotifier({ url: webhook.url, events: ['dust_detected', 'dust_conversion_failed'], logger })
    const manager = createDustManager({ strategies: [createTestStrategy()], clock: createFakeClock(), logger: createRecordingLogger() })
    manager.subscribe('*', notifier.append)
    await manager.runOnce()
    await notifier.append(failed)
    await notifier.flush()

    expect(webhook.received.map(({ method, path, contentType }) => ({ method, path, contentType }))).toEqual([
      { method: 'POST', path: '/services/T000/B000/secret', contentType: 'application/json' },
      { method: 'POST', path: '/services/T000/B000/secret', contentType: 'application/json' },
    ])
    const detected = 'Dust of usdt_test is above its threshold: 2660 USDT, ratio 0.00266 (threshold 0.002); 2 conversion(s) planned, 0 skipped.'
    expect(webhook.received[0]?.body).toEqual({
      text: detected,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: detected } },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '• EIGEN 1500 on etherfi: 1875 USDT\n• EIGEN 20 on wallet: 25 USDT\n• ETHFI 800 on wallet: 760 USDT' },
        },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'usdt_test · 2025-01-01T00:00:00.000Z' }] },
      ],
    })
    // Slack's control characters are escaped.
    expect(webhook.received[1]?.body).toMatchObject({ text: 'Conversion of 1520 EIGEN on binance failed (insufficient_funds), strategy usdt_test: binance holds 0 EIGEN &lt; 1520' })
    expect(logger.entries).toEqual([])
  })

  it('writes one line for each other kind of event', async () => {
    const webhook = await startWebhook()
    const notifier = createWebhookNotifier({
      url: webhook.url,
      events: ['dust_checked', 'dust_converted', 'dust_warning', 'dust_cycle_failed', 'conversion_state_changed'],
      logger: createRecordingLogger(),
    })
    const manager = createDustManager({
      strategies: [createTestStrategy({ edit: (config) => void (config.execution = { mode: 'paper' }) })],
      clock: createFakeClock(),
      logger: createRecordingLogger(),
      execute: true,
    })
    manager.subscribe('*', notifier.append)
    await manager.runOnce()
    const base = { strategy_mode: 'usdt_test', timestamp: FIXED_TIME }
    await notifier.append({ ...base, event_type: 'dust_warning', code: 'stale_price', venue: 'static#0', token: 'EIGEN', message: 'The EIGEN/USDT price is 720 s old.' })
    await notifier.append({ ...base, event_type: 'dust_cycle_failed', error: 'SourceError', code: 'source_failed', message: 'equity node down' })
    await notifier.append({ ...base, event_type: 'conversion_state_changed', conversion_id: 'c1', token: 'EIGEN', venue: 'binance', state: 'submitted', step: 1, reference: 'order-7' })
    await notifier.append({ ...base, event_type: 'conversion_state_changed', conversion_id: 'c1', token: 'EIGEN', venue: 'binance', state: 'planned', step: 0 })
    // Recovered after a restart, with a venue answer that does not show what arrived.
    await notifier.append({
      ...base,
      event_type: 'dust_converted',
      conversion_id: 'c2',
      token: 'EIGEN',
      venue: 'binance',
      amount: '1520',
      output: null,
      fees: '2.86619',
      target_currency: 'USDT',
      instruction: INSTRUCTION_JSON,
      steps: [],
    })
    await notifier.flush()
    expect(webhook.received.map((post) => (post.body as { text: string }).text)).toEqual([
      'Dust of usdt_test: 2660 USDT, ratio 0.00266 (threshold 0.002), above the threshold.',
      'Converted 1520 EIGEN on binance for 1895.54256 USDT (fees 2.86619), strategy usdt_test.',
      'Converted 800 ETHFI on binance for 758.1411 USDT (fees 1.16515), strategy usdt_test.',
      'Warning for usdt_test (stale_price): The EIGEN/USDT price is 720 s old.',
      'Dust cycle of usdt_test failed (source_failed): equity node down',
      'Conversion c1 of EIGEN on binance is submitted (order-7).',
      'Conversion c1 of EIGEN on binance is planned.',
      'Converted 1520 EIGEN on binance for an unknown amount of USDT (fees 2.86619), strategy usdt_test.',
    ])
  })

  it('retries a 5xx with backoff and stops at the first success', async () => {
    const webhook = await startWebhook([500, 503, 200])
    const logger = createRecordingLogger()
    const notifier = createWebhookNotifier({ url: webhook.url, events: ['dust_conversion_failed'], logger, backoffMs: 5 })
    await notifier.append(failed)
    await notifier.flush()
    expect(webhook.received).toHaveLength(3)
    expect(logger.at('warn').map((entry) => [entry.fields.attempt, entry.fields.error])).toEqual([
      [1, 'HTTP 500: no_service'],
      [2, 'HTTP 503: no_service'],
    ])
    expect(logger.at('error')).toEqual([])
  })

  it('gives up after the bounded retries and logs the event type, never throwing', async () => {
    const webhook = await startWebhook([502])
    const logger = createRecordingLogger()
    const notifier = createWebhookNotifier({ url: webhook.url, events: ['dust_conversion_failed'], logger, retries: 2, backoffMs: 5 })
    await expect(notifier.append(failed)).resolves.toBeUndefined()
    await notifier.flush()
    expect(webhook.received).toHaveLength(3)
    expect(logger.at('error')).toEqual([
      {
        level: 'error',
        fields: { event_type: 'dust_conversion_failed', strategy: 'usdt_test', webhook: `127.0.0.1:${webhook.port}`, attempts: 3, error: 'HTTP 502: no_service' },
        message: 'Webhook notification of dust_conversion_failed failed',
      },
    ])
    // The URL's secret path is never logged.
    expect(JSON.stringify(logger.entries)).not.toContain('secret')
  })

  it('does not retry a 4xx other than 429', async () => {
    const webhook = await startWebhook([400])
    const logger = createRecordingLogger()
    const notifier = createWebhookNotifier({ url: webhook.url, events: ['dust_conversion_failed'], logger, backoffMs: 5 })
    await notifier.append(failed)
    await notifier.flush()
    expect(webhook.received).toHaveLength(1)
    expect(logger.at('error').map((entry) => [entry.fields.attempts, entry.fields.error])).toEqual([[1, 'HTTP 400: no_service']])
  })

  it('times out a post that gets no answer, and retries it', async () => {
    const webhook = await startWebhook(['hold', 'hold', 200])
    const logger = createRecordingLogger()
    const notifier = createWebhookNotifier({ url: webhook.url, events: ['dust_conversion_failed'], logger, timeoutMs: 100, backoffMs: 5 })
    const started = Date.now()
    await notifier.append(failed)
    // append does not wait for the post: the engine is never held up by the webhook.
    expect(Date.now() - started).toBeLessThan(50)
    await notifier.flush()
    expect(webhook.received).toHaveLength(3)
    expect(logger.at('warn').map((entry) => entry.fields.error)).toEqual(['timed out', 'timed out'])
    expect(logger.at('error')).toEqual([])
  })

  it('logs a webhook that cannot be reached', async () => {
    const webhook = await startWebhook()
    await webhook.stop()
    const logger = createRecordingLogger()
    const notifier = createWebhookNotifier({ url: webhook.url, events: ['dust_conversion_failed'], logger, retries: 1, backoffMs: 5 })
    await notifier.append(failed)
    await notifier.flush()
    expect(logger.at('error')).toHaveLength(1)
    expect(logger.at('error')[0]?.fields).toMatchObject({ event_type: 'dust_conversion_failed', attempts: 2 })
    expect(String(logger.at('error')[0]?.fields.error)).toMatch(/^fetch failed: .*ECONNREFUSED/)
  })

  it('drops, and logs, messages past the queue bound', async () => {
    const webhook = await startWebhook(['hold', 200])
    const logger = createRecordingLogger()
    const notifier = createWebhookNotifier({ url: webhook.url, events: ['dust_conversion_failed'], logger, maxQueue: 1, timeoutMs: 100, backoffMs: 5 })
    await notifier.append(failed)
    await notifier.append({ ...failed, conversion_id: 'c2' })
    expect(logger.at('error').map((entry) => [entry.message, entry.fields.queued])).toEqual([['Webhook notification of dust_conversion_failed dropped: 1 messages are waiting', 1]])
    await notifier.flush()
    // The first message, retried after its timeout; the dropped one never went.
    expect(webhook.received).toHaveLength(2)
  })

  it('refuses a URL that is not http(s)', () => {
    expect(() => createWebhookNotifier({ url: 'ftp://example.invalid/hook', events: [], logger: createRecordingLogger() })).toThrow('The webhook URL is invalid.')
    expect(() => createWebhookNotifier({ url: 'not a url', events: [], logger: createRecordingLogger() })).toThrow('The webhook URL is invalid.')
  })
})
