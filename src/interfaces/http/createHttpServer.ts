import { createHash, timingSafeEqual } from 'node:crypto'
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify'
import { type ZodFastifySchemaValidationError, type ZodTypeProvider, hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { stepRecords } from '../../domain/events.js'
import { type DustConversionInstruction, serializePlan } from '../../domain/planning/ConversionPlan.js'
import type { DustManager } from '../../engine/createDustManager.js'
import type { Strategy } from '../../engine/Strategy.js'
import { BaseError, HttpError } from '../../errors/index.js'
import type { EventStore, ExecutionOutcome, Logger } from '../../ports/index.js'
import { serializeConversion } from '../serializeConversion.js'
import { type SnapshotCache, createSnapshotCache } from './createSnapshotCache.js'
import { type HttpErrorCode, errorStatus } from './errorStatus.js'
import { redactSecrets } from '../../errors/redactSecrets.js'
import { type HttpErrorAnswer, toHttpError } from './toHttpError.js'
import { registerDashboard } from './registerDashboard.js'

export type CreateHttpServerParameters = {
  /**
   * The manager whose strategies are served. `POST …/scan` runs one of its cycles without
   * executing, whatever the manager's own `execute`; `POST …/convert` executes that cycle's plan.
   */
  manager: DustManager
  strategies: readonly Strategy[]
  eventStore: EventStore
  metrics: { readonly contentType: string; text(): Promise<string> }
  /** Bearer token of the routes that run cycles; without one, those routes do not exist. */
  token?: string | undefined
  /** Whether `POST …/convert` may execute strategies whose execution mode is live (`dust serve --execute`); paper ones need nothing more. */
  executeLive?: boolean | undefined
  /** Values that never leave in an answer nor in a log line of the server (the token is always one); see `redactSecrets`. */
  secrets?: readonly string[] | undefined
  logger?: Logger | undefined
}

/** The largest page of events one request reads. */
export const MAX_EVENTS_LIMIT = 1000
const DEFAULT_EVENTS_LIMIT = 100
/** The largest request body accepted, in bytes: scan and convert take none, or `{}`. */
export const MAX_BODY_BYTES = 16 * 1024
/** How much of a value a client sent is repeated in a message. */
const MAX_ECHO = 64

const sequenceNumber = `an integer from 0 to ${Number.MAX_SAFE_INTEGER}`
const eventsLimit = `an integer from 1 to ${MAX_EVENTS_LIMIT}`
const strategyMode = 'a strategy mode (1 to 64 lower-case letters, digits and "_")'
const trueOrFalse = '"true" or "false"'
const MODE = /^[a-z0-9_]{1,64}$/

const mode = z.string({ error: strategyMode }).regex(MODE, strategyMode)

/** A sequence number in the query (`since`, `before`): exclusive bounds of the log's events. */
const sequenceParameter = z
  .string({ error: sequenceNumber })
  .regex(/^\d{1,16}$/, sequenceNumber)
  .transform(Number)
  .refine((seq) => Number.isSafeInteger(seq), sequenceNumber)
  .optional()

/** A page's size in the query (`limit`, `last`). */
const countParameter = z
  .string({ error: eventsLimit })
  .regex(/^\d{1,4}$/, eventsLimit)
  .transform(Number)
  .refine((count) => count >= 1 && count <= MAX_EVENTS_LIMIT, eventsLimit)
  .optional()

const eventsQuery = z.strictObject({
  since: sequenceParameter,
  before: sequenceParameter,
  limit: countParameter,
  last: countParameter,
  strategy: mode.optional(),
})

const conversionsQuery = z.strictObject({
  strategy: mode.optional(),
  open: z
    .enum(['true', 'false'], { error: trueOrFalse })
    .transform((open) => open === 'true')
    .optional(),
})

const noQuery = z.strictObject({})
const modeParams = z.strictObject({ mode })
/** Scan and convert take no input but the path: a body, when sent, is `{}` (fastify hands no body to the validator as null). */
const noBody = z.strictObject({}, { error: 'an empty JSON object, or no body' }).nullish()

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} }

/** Digests a token so that two tokens compare in constant time whatever their lengths. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest()
}

function valueAt(root: unknown, path: readonly string[]): unknown {
  let node = root
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined
    node = Reflect.get(node, key)
  }
  return node
}

/** A path pattern (`/strategies/:mode/scan`) as a regular expression of the paths it matches. */
function patternOf(url: string): RegExp {
  const segments = url.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
  return new RegExp(`^${segments.join('/')}$`)
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
 * Creates the HTTP interface of the dust manager (fastify, every input validated by zod).
 *
 * Reads: `GET /health`, `/strategies`, `/strategies/:mode/snapshot`, `/events`, `/conversions`
 * and `/metrics`; the dashboard page at `/` (`registerDashboard`). With a token: `POST /strategies/:mode/scan` (a cycle that never executes)
 * and `/convert` (executes, where the strategy's execution mode allows it). Every error is
 * `{ error: { code, message } }`, its status read from `errorStatus` and nowhere else; no
 * answer and no log line of the server holds a secret.
 */
export function createHttpServer(parameters: CreateHttpServerParameters) {
  const { manager, eventStore, metrics } = parameters
  const logger = parameters.logger ?? silent
  const strategies = new Map(parameters.strategies.map((strategy) => [strategy.policy.mode, strategy]))
  if (parameters.token !== undefined && parameters.token.length === 0) {
    throw new BaseError('The HTTP token is empty.', { code: 'invalid_config', details: 'Expected a non-empty bearer token, or none to leave the cycle routes out.' })
  }
  const secrets = [...(parameters.secrets ?? []), ...(parameters.token === undefined ? [] : [parameters.token])]
  const redact = (text: string) => redactSecrets(text, secrets)
  /** A value the client sent, as a message repeats it: secrets out, then cut short. */
  const echo = (value: unknown): string => {
    if (value === undefined) return 'nothing'
    if (Array.isArray(value)) return `a list of ${value.length}`
    if (value === null) return 'null'
    if (typeof value === 'object') return 'an object'
    const text = redact(String(value))
    const shown = JSON.stringify(text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text)
    return typeof value === 'string' ? shown : `${typeof value} ${shown}`
  }
  const snapshots: SnapshotCache = createSnapshotCache(manager)
  /** The routes by path pattern, to tell a wrong method (405) from a path that does not exist (404). */
  const routes: Array<{ pattern: RegExp; method: string }> = []

  const app = Fastify({
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    // Refusals before routing (a malformed URL, a path parameter too long) get the API's error shape too.
    frameworkErrors: (error, request, reply) => sendError(error, request, reply),
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.addHook('onClose', async () => snapshots.close())
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ pattern: patternOf(route.url), method })
  })
  // The last guard: whatever a handler wrote, no secret leaves in an answer.
  app.addHook('onSend', async (_request, _reply, payload) => (typeof payload === 'string' ? redact(payload) : payload))

  // JSON only, and an empty body reads as none; `__proto__` and `constructor.prototype` keys are refused.
  app.removeAllContentTypeParsers()
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body)
    if (text.trim() === '') return done(null, undefined)
    try {
      JSON.parse(text)
    } catch {
      return done(new HttpError('invalid_request', 'The request body is not valid JSON.', { details: 'Expected an empty JSON object, or no body.' }), undefined)
    }
    parseJson(request, text, (error, value) => {
      if (error)
        done(new HttpError('invalid_request', 'The request body holds a forbidden key (__proto__ or constructor.prototype).', { details: 'Expected an empty JSON object, or no body.' }), undefined)
      else done(null, value)
    })
  })

  function strategyOf(mode: string): Strategy {
    const strategy = strategies.get(mode)
    if (strategy) return strategy
    throw new HttpError('unknown_strategy', `No strategy ${echo(mode)}.`, { details: `Expected one of: ${[...strategies.keys()].join(', ') || '(none)'}.` })
  }

  /** Says, for each field, what was expected and what was found; a value is repeated only with the secrets out. */
  function describeValidation(context: string | undefined, issues: readonly ZodFastifySchemaValidationError[], input: unknown, known: readonly string[]): string {
    return issues
      .map((issue) => {
        const path = issue.instancePath.split('/').filter((key) => key !== '')
        if (issue.keyword === 'unrecognized_keys') {
          const listed: unknown = Reflect.get(issue.params, 'keys')
          const keys = Array.isArray(listed) ? listed.filter((key): key is string => typeof key === 'string') : []
          return keys
            .map((key) => {
              if (context === 'body') return `${echo(key).slice(1, -1)}: expected no field (the body, if any, is {}), found an unknown field`
              return `${echo(key).slice(1, -1)}: expected ${known.length > 0 ? `one of ${known.join(', ')}` : 'no query parameter'}, found an unknown parameter`
            })
            .join('; ')
        }
        return `${path.join('.') || '(the body)'}: expected ${issue.message}, found ${echo(valueAt(input, path))}`
      })
      .join('; ')
  }

  function answerOf(error: unknown, request: FastifyRequest): HttpErrorAnswer {
    if (!hasZodFastifySchemaValidationErrors(error)) return toHttpError(error, { bodyLimit: MAX_BODY_BYTES })
    const validationContext: unknown = Reflect.get(error, 'validationContext')
    const context = typeof validationContext === 'string' ? validationContext : undefined
    const code: HttpErrorCode = context === 'querystring' ? 'invalid_query' : context === 'params' ? 'invalid_params' : 'invalid_request'
    const input = context === 'querystring' ? request.query : context === 'params' ? request.params : request.body
    const schema = request.routeOptions.schema?.querystring
    const known = context === 'querystring' && schema instanceof z.ZodObject ? Object.keys(schema.shape) : []
    const what = context === 'querystring' ? 'query' : context === 'params' ? 'path' : 'request body'
    return { code, status: errorStatus(code), message: `Invalid ${what}: ${describeValidation(context, error.validation, input, known)}.` }
  }

  function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const { code, status, message } = answerOf(error, request)
    const where = { method: request.method, route: request.routeOptions.url ?? '(no route)' }
    // The client gets the code and a message written for it; the log gets the whole error, secrets out
    // (under `error`, not pino's `err`, whose serializer would flatten the causes written out here).
    if (status >= 500) logger.error({ error: redactSecrets(error, secrets), code, status, ...where }, 'HTTP request failed')
    // A failed authentication is worth an operator's eye; other refusals are the client's business.
    else if (code === 'unauthorized') logger.warn({ code, status, ...where, ip: request.ip }, 'HTTP request refused')
    else logger.debug({ code, status, ...where }, 'HTTP request refused')
    return reply.code(status).send({ error: { code, message } })
  }

  app.setErrorHandler((error: unknown, request, reply) => sendError(error, request, reply))

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? ''
    const shown = echo(path).slice(1, -1)
    const allowed = [...new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method))]
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '))
      return sendError(new HttpError('method_not_allowed', `Method ${request.method} is not allowed on ${shown}.`, { details: `Expected one of: ${allowed.join(', ')}.` }), request, reply)
    }
    return sendError(new HttpError('not_found', `No route ${request.method} ${shown}.`), request, reply)
  })

  app.get('/health', { schema: { querystring: noQuery } }, async () => {
    try {
      await eventStore.read({ limit: 1 })
    } catch (cause) {
      throw new HttpError('event_store_unavailable', `The ${eventStore.kind} event store cannot be read. Try again later; the server log has the cause.`, { cause })
    }
    return { ok: true, store: eventStore.kind, strategies: strategies.size }
  })

  app.get('/strategies', { schema: { querystring: noQuery } }, async () => ({
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

  app.get('/strategies/:mode/snapshot', { schema: { params: modeParams, querystring: noQuery } }, async (request) => {
    const { mode } = request.params
    strategyOf(mode)
    const snapshot = snapshots.get(mode)
    if (!snapshot) throw new HttpError('no_snapshot_yet', `Strategy ${mode} has no snapshot yet.`, { details: 'Its first cycle has not finished.' })
    return snapshot
  })

  app.get('/events', { schema: { querystring: eventsQuery } }, async (request) => {
    const { since, before, limit, last, strategy } = request.query
    if (limit !== undefined && last !== undefined) {
      throw new HttpError('invalid_query', 'Invalid query: limit, last: expected one of them (limit reads the oldest events after since, last the newest), found both.')
    }
    const events = await eventStore.read(last === undefined ? { since, before, limit: limit ?? DEFAULT_EVENTS_LIMIT, strategyMode: strategy } : { since, before, last, strategyMode: strategy })
    const page = events.map((stored) => ({ seq: stored.seq, recorded_at: stored.recordedAt, event: stored.event }))
    // Where the next page starts: pass it back as `since`.
    const nextSince = events.at(-1)?.seq ?? since ?? 0
    if (last === undefined) return { events: page, next_since: nextSince }
    // Where the page before this one ends: pass it back as `before`; null once a page comes short, as nothing is older.
    return { events: page, next_since: nextSince, prev_before: events.length < last ? null : (events[0]?.seq ?? null) }
  })

  app.get('/conversions', { schema: { querystring: conversionsQuery } }, async (request) => {
    const { strategy, open } = request.query
    const records = await eventStore.conversions({ strategyMode: strategy, open })
    return { conversions: records.map(serializeConversion) }
  })

  app.get('/metrics', { schema: { querystring: noQuery } }, async (_request, reply) => reply.type(metrics.contentType).send(await metrics.text()))

  // The page at `/` and its files under `/dashboard/`: static, reading the routes above like any client.
  registerDashboard(app)

  if (parameters.token !== undefined) registerCycleRoutes(parameters.token)

  function registerCycleRoutes(token: string): void {
    const expected = digest(token)
    const refuse = (reply: FastifyReply, shortMessage: string): never => {
      reply.header('www-authenticate', 'Bearer')
      throw new HttpError('unauthorized', shortMessage, { details: 'Expected the header "Authorization: Bearer <token>" with the configured api.token.' })
    }
    const authorize = async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization
      if (header === undefined || header.trim() === '') return refuse(reply, 'The Authorization header is missing.')
      // The scheme is matched case-insensitively (RFC 9110); what follows it is the token.
      const [, scheme = '', given = ''] = /^(\S+)\s*(.*)$/s.exec(header.trim()) ?? []
      if (scheme.toLowerCase() !== 'bearer') return refuse(reply, 'The Authorization header does not hold a bearer token.')
      // Both sides are digested first: timingSafeEqual needs equal lengths, and the token's length must not leak either.
      if (!timingSafeEqual(digest(given), expected) || given.length === 0) return refuse(reply, 'The bearer token of the Authorization header is not the configured one.')
    }
    // A second convert of a strategy while one is under way joins it: an instruction is never executed twice.
    const converting = new Map<string, Promise<Record<string, unknown>>>()
    const cycleRoute = { onRequest: authorize, schema: { params: modeParams, querystring: noQuery, body: noBody } }

    app.post('/strategies/:mode/scan', cycleRoute, async (request) => {
      const { mode } = request.params
      strategyOf(mode)
      // A dry run in every execution mode: the cycle scans, plans and records, and executes nothing.
      const result = await manager.runCycle(mode, { execute: false })
      if (!result.ok) throw result.error
      return serializePlan(result.plan)
    })

    app.post('/strategies/:mode/convert', cycleRoute, async (request) => {
      const { mode } = request.params
      const strategy = strategyOf(mode)
      if (strategy.executionMode === 'dry-run' || !strategy.executionManager) {
        throw new HttpError('execution_disabled', `Strategy ${mode} does not execute conversions.`, {
          details: `Its execution mode is ${strategy.executionMode}; expected paper or live with an execution manager. POST /strategies/${mode}/scan plans without executing.`,
        })
      }
      if (strategy.executionMode === 'live' && parameters.executeLive !== true) {
        throw new HttpError('execution_disabled', `Strategy ${mode} runs live, and this server was started without --execute.`, {
          details: `Expected dust serve --execute to allow live conversions. POST /strategies/${mode}/scan plans without executing.`,
        })
      }
      const running = converting.get(mode)
      if (running) return running
      const next = convert(mode).finally(() => converting.delete(mode))
      converting.set(mode, next)
      return next
    })

    async function convert(mode: string): Promise<Record<string, unknown>> {
      const result = await manager.runCycle(mode, { execute: false })
      if (!result.ok) throw result.error
      const { snapshot } = result.plan
      // A monitor cycle under way that executed has carried the plan out; it is not run twice. An
      // incomplete snapshot judges nothing, so nothing is executed on it.
      const due = snapshot.exceedsThreshold && !snapshot.incomplete
      // The manager takes the strategy's one-executor lock around execution (strategy_locked when another process has it).
      const outcomes = result.outcomes.length > 0 ? result.outcomes : due ? await manager.executeInstructions(mode, result.plan.instructions) : []
      logger.info({ strategy: mode, outcomes: outcomes.length }, 'Conversion requested over HTTP')
      return { strategy_mode: mode, exceeds_threshold: snapshot.exceedsThreshold, outcomes: outcomes.map(outcomeJson) }
    }
  }

  return app
}

/** The fastify instance `createHttpServer` makes. */
export type HttpServer = ReturnType<typeof createHttpServer>
