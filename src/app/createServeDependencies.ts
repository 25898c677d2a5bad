import { type Metrics, createMetrics } from '../adapters/prometheus/createMetrics.js'
import { type WebhookNotifier, createWebhookNotifier } from '../adapters/webhook/createWebhookNotifier.js'
import type { StrategyConfig } from '../config/index.js'
import { type DustManager, createDustManager } from '../engine/createDustManager.js'
import type { Strategy } from '../engine/Strategy.js'
import type { Clock, EventStore, Logger } from '../ports/index.js'

export type CreateServeDependenciesParameters = {
  strategies: readonly Strategy[]
  clock: Clock
  logger: Logger
  /** The event log every cycle is recorded in. */
  store: EventStore
  /** Where chosen events are posted (`notifications` of a configuration); none when absent. */
  notifications?: StrategyConfig['notifications'] | undefined
}

/**
 * Wires what `dust serve` runs: the dust manager (executing, recording to `store`), its
 * Prometheus metrics and, when configured, the webhook notifier, both subscribed to every event.
 */
export function createServeDependencies(parameters: CreateServeDependenciesParameters): { manager: DustManager; metrics: Metrics; notifier: WebhookNotifier | undefined } {
  const { strategies, clock, logger, store, notifications } = parameters
  const metrics = createMetrics({ strategies })
  const manager = createDustManager({ strategies, clock, logger, execute: true, store, observeScanDuration: metrics.observeScanDuration })
  manager.subscribe('*', metrics.observe)
  const notifier = notifications ? createWebhookNotifier({ url: notifications.webhook_url, events: notifications.events, logger }) : undefined
  if (notifier) manager.subscribe('*', (event) => notifier.append(event))
  return { manager, metrics, notifier }
}
