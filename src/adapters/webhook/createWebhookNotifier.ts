import type { DustEvent, DustEventType } from '../../domain/events.js'
import { BaseError } from '../../errors/index.js'
import type { EventSink, Logger } from '../../ports/index.js'

export type CreateWebhookNotifierParameters = {
  /** The incoming-webhook URL (Slack's, or anything that takes `{ text, blocks }`); a secret: never logged. */
  url: string
  /** The event types posted; the others are ignored. */
  events: readonly DustEventType[]
  fetch?: typeof fetch | undefined
  logger: Logger
  /** Time one post may take, in ms. */
  timeoutMs?: number | undefined
  /** Posts tried again after the first, on a 5xx, a 429, a timeout or a network error. */
  retries?: number | undefined
  /** Wait before the first retry, in ms; doubled before each next one. */
  backoffMs?: number | undefined
  /** Messages waiting at most; past that, new ones are dropped and logged (a webhook down must not fill the memory). */
  maxQueue?: number | undefined
}

/** Posts chosen events to a webhook; an EventSink that never throws and never holds the engine up. */
export type WebhookNotifier = EventSink & {
  /** Resolves once every message queued so far is delivered or given up on. */
  flush(): Promise<void>
}

/** A Slack-compatible message: `text` is the fallback and the notification, `blocks` the layout. */
export type WebhookMessage = {
  text: string
  blocks?: Array<Record<string, unknown>> | undefined
}

/** Slack's mrkdwn treats these three as control characters. */
function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

function section(text: string): Record<string, unknown> {
  return { type: 'section', text: { type: 'mrkdwn', text } }
}

/** Writes the message of an event; every figure is the event's own decimal string. */
function messageOf(event: DustEvent): WebhookMessage {
  const mode = escapeSlackText(event.strategy_mode)
  const when = new Date(event.timestamp).toISOString()
  const context = { type: 'context', elements: [{ type: 'mrkdwn', text: `${mode} · ${when}` }] }
  let text: string
  let details: string | undefined
  switch (event.event_type) {
    case 'dust_checked': {
      const s = event.snapshot
      text = `Dust of ${mode}: ${s.total_dust_value} ${escapeSlackText(s.share_class)}, ratio ${s.dust_ratio} (threshold ${s.dust_delta})${s.exceeds_threshold ? ', above the threshold' : ''}.`
      break
    }
    case 'dust_detected':
      text = `Dust of ${mode} is above its threshold: ${event.total_value} ${escapeSlackText(event.share_class)}, ratio ${event.snapshot.dust_ratio} (threshold ${event.snapshot.dust_delta}); ${event.conversion_instructions.length} conversion(s) planned, ${event.skipped.length} skipped.`
      details = event.dust_tokens
        .map((token) => `• ${escapeSlackText(token.token)} ${token.amount} on ${escapeSlackText(token.venue)}: ${token.value} ${escapeSlackText(event.share_class)}`)
        .join('\n')
      break
    case 'dust_converted':
      text = `Converted ${event.amount} ${escapeSlackText(event.token)} on ${escapeSlackText(event.venue)} for ${event.output ?? 'an unknown amount of'} ${escapeSlackText(event.target_currency)} (fees ${event.fees}), strategy ${mode}.`
      break
    case 'dust_conversion_failed':
      text = `Conversion of ${event.amount} ${escapeSlackText(event.token)} on ${escapeSlackText(event.venue)} failed (${escapeSlackText(event.reason)}${event.retryable ? ', retryable' : ''}), strategy ${mode}: ${escapeSlackText(event.detail)}`
      break
    case 'dust_warning':
      text = `Warning for ${mode} (${event.code}): ${escapeSlackText(event.message)}`
      break
    case 'dust_cycle_failed':
      text = `Dust cycle of ${mode} failed (${escapeSlackText(event.code)}): ${escapeSlackText(event.message)}`
      break
    case 'conversion_state_changed':
      text = `Conversion ${escapeSlackText(event.conversion_id)} of ${escapeSlackText(event.token)} on ${escapeSlackText(event.venue)} is ${event.state}${event.reference === undefined ? '' : ` (${escapeSlackText(event.reference)})`}.`
      break
  }
  return { text, blocks: [section(text), ...(details ? [section(details)] : []), context] }
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  // fetch's "fetch failed" hides the reason (refused, reset, DNS) in its cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : ''
  return error.name === 'TimeoutError' ? 'timed out' : `${error.message}${cause}`
}

/**
 * Creates a webhook notifier: chosen events become Slack-compatible posts.
 *
 * `append` queues and returns at once: the manager awaits its sinks and subscribers, and a
 * webhook that is slow or down must not delay a cycle. Posts go out one at a time, in order;
 * a 5xx, a 429, a timeout or a network error is retried with doubling waits, a bounded number of
 * times; any other answer is final. What cannot be delivered is logged with its event type.
 */
export function createWebhookNotifier(parameters: CreateWebhookNotifierParameters): WebhookNotifier {
  const { url, logger } = parameters
  let host: string
  try {
    const parsed = new URL(url)
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`protocol ${parsed.protocol}`)
    host = parsed.host
  } catch {
    throw new BaseError('The webhook URL is invalid.', { code: 'invalid_config', details: 'Expected an http(s) URL.' })
  }
  const send = parameters.fetch ?? fetch
  const selected = new Set<string>(parameters.events)
  const timeoutMs = parameters.timeoutMs ?? 5_000
  const retries = parameters.retries ?? 3
  const backoffMs = parameters.backoffMs ?? 500
  const maxQueue = parameters.maxQueue ?? 100
  let queued = 0
  let tail: Promise<void> = Promise.resolve()

  async function deliver(event: DustEvent): Promise<void> {
    const body = JSON.stringify(messageOf(event))
    const fields = { event_type: event.event_type, strategy: event.strategy_mode, webhook: host }
    for (let attempt = 1; ; attempt += 1) {
      let problem: string
      let retryable: boolean
      try {
        const response = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) })
        // Read to the end so the connection can be reused.
        const answer = await response.text()
        if (response.ok) return
        problem = `HTTP ${response.status}${answer ? `: ${answer.slice(0, 200)}` : ''}`
        retryable = response.status >= 500 || response.status === 429
      } catch (error) {
        problem = describeError(error)
        retryable = true
      }
      if (!retryable || attempt > retries) {
        logger.error({ ...fields, attempts: attempt, error: problem }, `Webhook notification of ${event.event_type} failed`)
        return
      }
      logger.warn({ ...fields, attempt, error: problem }, `Webhook notification of ${event.event_type} failed; retrying`)
      await new Promise((resolve) => setTimeout(resolve, backoffMs * 2 ** (attempt - 1)))
    }
  }

  return {
    async append(event) {
      if (!selected.has(event.event_type)) return
      if (queued >= maxQueue) {
        logger.error({ event_type: event.event_type, strategy: event.strategy_mode, webhook: host, queued }, `Webhook notification of ${event.event_type} dropped: ${queued} messages are waiting`)
        return
      }
      queued += 1
      tail = tail.then(() =>
        deliver(event)
          .catch((error: unknown) => logger.error({ event_type: event.event_type, strategy: event.strategy_mode, error: describeError(error) }, 'Webhook notification failed'))
          .finally(() => {
            queued -= 1
          }),
      )
    },
    flush: () => tail,
  }
}
