import { createHash, timingSafeEqual } from 'node:crypto'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { type ZodFastifySchemaValidationError, type ZodTypeProvider, hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { describeFound } from '../../config/parseYaml.js'
import { stepRecords } from '../../domain/events.js'
import { type DustConversionInstruction, serializePlan } from '../../domain/planning/ConversionPlan.js'
import type { DustManager } from '../../engine/createDustManager.js'
import type { Strategy } from '../../engine/Strategy.js'
import { BaseError } from '../../errors/index.js'
import type { EventStore, ExecutionOutcome, Logger } from '../../ports/index.js'
import { serializeConversion } from '../serializeConversion.js'
import { type SnapshotCache, createSnapshotCache } from './createSnapshotCache.js'
import { type HttpErrorCode, errorStatus } from './errorStatus.js'

export type CreateHttpServerParameters = {
  /**
   * The manager whose strategies are served. It must not execute on its own (`execute: false`):
   * `POST …/scan` runs one of its cycles as a dry run, and `POST …/convert` executes that cycle's plan.
   */
  manager: DustManager
  strategies: readonly Strategy[]
  eventStore: EventStore
  metrics: { readonly contentType: string; text(): Promise<string> }
  /** Bearer token of the routes that run cycles; without one, those routes do not exist. */
  token?: string | undefined
  logger?: Logger | undefined
}

/** The largest page of events one request reads. */
export const MAX_EVENTS_LIMIT = 1000
const DEFAULT_EVENTS_LIMIT = 100

const nonNegativeInteger = 'a non-negative integer'
const eventsLimit = `an integer from 1 to ${MAX_EVENTS_LIMIT}`
const strategyMode = 'a strategy mode'
const trueOrFalse = '"true" or "false"'

const eventsQuery = z.strictObject({
  since: z
    .string({ error: nonNegativeInteger })
    .regex(/^\d{1,15}$/, nonNegativeInteger)
    .transform(Number)
    .optional(),
  limit: z
    .string({ error: eventsLimit })
    .regex(/^\d{1,4}$/, eventsLimit)
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= MAX_EVENTS_LIMIT, eventsLimit)
    .optional(),
  strategy: z.string({ error: strategyMode }).min(1, strategyMode).optional(),
})

const conversionsQuery = z.strictObject({
  strategy: z.string({ error: strategyMode }).min(1, strategyMode).optional(),
  open: z
    .enum(['true', 'false'], { error: trueOrFalse })
    .transform((open) => open === 'true')
    .optional(),
})

const modeParams = z.object({ mode: z.string() })

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

function httpError(code: HttpErrorCode, shortMessage: string, details?: string): BaseError {
  return new BaseError(shortMessage, { code, details })
}

/** Digests a token so that two tokens compare in constant time whatever their lengths. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[key]
  }
  return node
}

/** Says, for each field, what was expected and what was found. */
function describeValidation(issues: readonly ZodFastifySchemaValidationError[], input: unknown, known: readonly string[]): string {
  return issues
    .map((issue) => {
      const path = issue.instancePath.split('/').filter((key) => key !== '')
      if (issue.keyword === 'unrecognized_keys') {
        const keys = (issue.params as { keys?: string[] }).keys ?? []
        return keys.map((key) => `${key}: expected one of ${known.join(', ')}, found an unknown parameter`).join('; ')
      }
      return `${path.join('.') || '(all)'}: expected ${issue.message}, found ${describeFound(valueAt(input, path))}`
    })
    .join('; ')
}

function outcomeJson({ instruction, outcome }: { instruction: DustConversionInstruction; outcome: ExecutionOutcome }): Record<string, unknown> {
  const common = { conversion_id: instruction.conversionId, token: instruction.token, venue: instruction.venue, amount: instruction.amount.toDecimalString() }
  if (outcome.status === 'converted') {
    return {
      ...common,
      status: outcome.status,
      amount_in: outcome.amountIn.toDecimalString(),
      output: outcome.output.toDecimalString(),
      fees: outcome.fees.toDecimalString(),
      target_currency: instruction.targetCurrency,
      steps: stepRecords(outcome.steps),
    }
  }
  return { ...common, status: outcome.status, reason: outcome.reason, detail: outcome.detail, retryable: outcome.retryable, steps: stepRecords(outcome.steps) }
}

/**
 * Creates the HTTP interface of the dust manager (fastify, its inputs validated by zod).
 *
 * Reads: `GET /health`, `/strategies`, `/strategies/:mode/snapshot`, `/events`, `/conversions`
 * and `/metrics`. With a token: `POST /strategies/:mode/scan` and `/convert`. Every error is
 * `{ error: { code, message } }`, its status read from `errorStatus` and nowhere else.
 */
export function createHttpServer(parameters: CreateHttpServerParameters) {
  const { manager, eventStore, metrics } = parameters
  const logger = parameters.logger ?? silent
  const strategies = new Map(parameters.strategies.map((strategy) => [strategy.policy.mode, strategy]))
  if (parameters.token !== undefined && parameters.token.length === 0) {
    throw new BaseError('The HTTP token is empty.', { code: 'invalid_config', details: 'Expected a non-empty bearer token, or none to leave the cycle routes out.' })
  }
  const snapshots: SnapshotCache = createSnapshotCache(manager)

  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.addHook('onClose', async () => snapshots.close())

  function strategyOf(mode: string): Strategy {
    const strategy = strategies.get(mode)
    if (strategy) return strategy
    throw httpError('unknown_strategy', `No strategy ${JSON.stringify(mode)}.`, `Expected one of: ${[...strategies.keys()].join(', ') || '(none)'}.`)
  }

  app.setErrorHandler((error: unknown, request, reply) => {
    let code: string
    let message: string
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error as { validationContext?: string }).validationContext
      code = context === 'querystring' ? 'invalid_query' : context === 'params' ? 'invalid_params' : 'invalid_request'
      const input = context === 'querystring' ? request.query : context === 'params' ? request.params : request.body
      const schema = request.routeOptions.schema?.querystring
      const known = context === 'querystring' && schema instanceof z.ZodObject ? Object.keys(schema.shape) : []
      message = `Invalid ${context === 'querystring' ? 'query' : (context ?? 'request')}: ${describeValidation(error.validation, input, known)}.`
    } else if (error instanceof BaseError) {
      code = error.code
      message = error.message
    } else {
      // fastify's own errors (a malformed body, a wrong content type) carry a 4xx status.
      const status = (error as { statusCode?: unknown }).statusCode
      code = status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : typeof status === 'number' && status >= 400 && status < 500 ? 'invalid_request' : 'internal_error'
      message = code === 'internal_error' ? 'Internal server error.' : error instanceof Error ? error.message : String(error)
    }
    const status = errorStatus(code)
    if (status >= 500) logger.error({ err: error, code, method: request.method, url: request.url }, 'HTTP request failed')
    return reply.code(status).send({ error: { code, message } })
  })

  app.setNotFoundHandler((request, reply) => {
    const code: HttpErrorCode = 'not_found'
    return reply.code(errorStatus(code)).send({ error: { code, message: `No route ${request.method} ${request.url.split('?')[0]}.` } })
  })

  app.get('/health', async () => {
    try {
      await eventStore.read({ limit: 1 })
    } catch (cause) {
      throw new BaseError(`The ${eventStore.kind} event store cannot be read.`, {
        code: 'store_unavailable',
        details: cause instanceof Error ? cause.message : String(cause),
        cause,
      })
    }
    return { ok: true, store: eventStore.kind, strategies: strategies.size }
  })

  app.get('/strategies', async () => ({
    strategies: [...strategies.values()].map((strategy) => {
      const snapshot = snapshots.get(strategy.policy.mode)
      return {
        mode: strategy.policy.mode,
        share_class: strategy.policy.shareClass.symbol,
        execution_mode: strategy.executionMode,
        dust_monitoring_interval: strategy.monitoringIntervalMs / 1000,
        dust_ratio: snapshot?.dust_ratio ?? null,
        exceeds_threshold: snapshot?.exceeds_threshold ?? null,
        checked_at: snapshot?.timestamp ?? null,
      }
    }),
  }))

  app.get('/strategies/:mode/snapshot', { schema: { params: modeParams } }, async (request) => {
    const { mode } = request.params
    strategyOf(mode)
    const snapshot = snapshots.get(mode)
    if (!snapshot) throw httpError('no_snapshot_yet', `Strategy ${mode} has no snapshot yet.`, 'Its first cycle has not finished.')
    return snapshot
  })

  app.get('/events', { schema: { querystring: eventsQuery } }, async (request) => {
    const { since, limit, strategy } = request.query
    const events = await eventStore.read({ since, limit: limit ?? DEFAULT_EVENTS_LIMIT, strategyMode: strategy })
    return {
      events: events.map((stored) => ({ seq: stored.seq, recorded_at: stored.recordedAt, event: stored.event })),
      // Where the next page starts: pass it back as `since`.
      next_since: events.at(-1)?.seq ?? since ?? 0,
    }
  })

  app.get('/conversions', { schema: { querystring: conversionsQuery } }, async (request) => {
    const { strategy, open } = request.query
    const records = await eventStore.conversions({ strategyMode: strategy, open })
    return { conversions: records.map(serializeConversion) }
  })

  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()))

  if (parameters.token !== undefined) registerCycleRoutes(parameters.token)

  function registerCycleRoutes(token: string): void {
    const expected = digest(token)
    const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization ?? ''
      const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : ''
      // Both sides are digested first: timingSafeEqual needs equal lengths, and the length of the token must not leak either.
      const matches = timingSafeEqual(digest(given), expected)
      if (!matches || given.length === 0) {
        reply.header('www-authenticate', 'Bearer')
        throw httpError('unauthorized', 'A valid bearer token is required.', 'Expected the header "Authorization: Bearer <token>" with the configured token.')
      }
    }
    // A second convert of a strategy while one is under way joins it: an instruction is never executed twice.
    const converting = new Map<string, Promise<Record<string, unknown>>>()

    app.post('/strategies/:mode/scan', { onRequest: authorize, schema: { params: modeParams } }, async (request) => {
      const { mode } = request.params
      strategyOf(mode)
      const result = await manager.runCycle(mode)
      if (!result.ok) throw result.error
      return serializePlan(result.plan)
    })

    app.post('/strategies/:mode/convert', { onRequest: authorize, schema: { params: modeParams } }, async (request) => {
      const { mode } = request.params
      const strategy = strategyOf(mode)
      if (strategy.executionMode === 'dry-run' || !strategy.executionManager) {
        throw httpError('execution_disabled', `Strategy ${mode} does not execute conversions.`, `Its execution mode is ${strategy.executionMode}; expected paper or live with an execution manager.`)
      }
      const running = converting.get(mode)
      if (running) return running
      const next = convert(mode).finally(() => converting.delete(mode))
      converting.set(mode, next)
      return next
    })

    async function convert(mode: string): Promise<Record<string, unknown>> {
      // The manager takes the strategy's one-executor lock around execution (error strategy_locked when another process has it).
      const result = await manager.runCycle(mode)
      if (!result.ok) throw result.error
      const { snapshot } = result.plan
      // A manager that executes on its own has carried the plan out in the cycle; it is not run twice.
      const outcomes = !snapshot.exceedsThreshold ? [] : result.outcomes.length > 0 ? result.outcomes : await manager.executeInstructions(mode, result.plan.instructions)
      logger.info({ strategy: mode, outcomes: outcomes.length }, 'Conversion requested over HTTP')
      return { strategy_mode: mode, exceeds_threshold: snapshot.exceedsThreshold, outcomes: outcomes.map(outcomeJson) }
    }
  }

  return app
}

/** The fastify instance `createHttpServer` makes. */
export type HttpServer = ReturnType<typeof createHttpServer>
