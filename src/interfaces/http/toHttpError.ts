import { type ErrorCode, HttpError } from '../../errors/index.js'
import { type HttpErrorCode, errorStatus, isHttpErrorCode } from './errorStatus.js'

/** What the API answers for an error: a stable code, its status, and a message written for the client. */
export type HttpErrorAnswer = { readonly code: HttpErrorCode; readonly status: number; readonly message: string }

/** Codes of the event stores' errors that mean the store cannot serve now (a dead connection, a closed store, a lost lock). */
const STORE_DOWN: ReadonlySet<string> = new Set<ErrorCode>(['event_store_unavailable', 'event_store_failed', 'event_store_closed', 'event_store_lock_lost'])
/** Codes of a balance, price or equity source that did not answer, or was paused after failing again and again. */
const SOURCE_DOWN: ReadonlySet<string> = new Set<ErrorCode>(['source_failed', 'all_sources_failed', 'circuit_open'])
/** Codes the engine raises whose message is written for people and holds nothing but strategy names. */
const PASSED_ON: ReadonlySet<string> = new Set<ErrorCode>(['strategy_locked'])

const LATER = 'Try again later; the server log has the cause.'

/** A field of what was thrown, whatever it is (`undefined` when it has none). */
function fieldOf(thrown: unknown, key: string): unknown {
  const field: unknown = typeof thrown === 'object' && thrown !== null ? Reflect.get(thrown, key) : undefined
  return field
}

function answer(code: HttpErrorCode, message: string): HttpErrorAnswer {
  return { code, status: errorStatus(code), message }
}

/** A configured name (a venue, a chain) as the message shows it; anything else is left out. */
function nameOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_, .-]{1,200}$/.test(value) ? value : undefined
}

/**
 * Turns what a route threw into the API's answer. Only an `HttpError` (and the engine's
 * `strategy_locked`) keeps its message. A store, source or venue that is down is 503 with a
 * message that names at most a configured venue or chain: never a host, port, database, user,
 * path, URL or stack. fastify's own refusals (a body too large, of another type, malformed) get
 * their code. Everything else is 500 `internal_error` with a generic message: the caller logs
 * the error in full.
 */
export function toHttpError(error: unknown, limits: { readonly bodyLimit: number }): HttpErrorAnswer {
  const thrownCode = fieldOf(error, 'code')
  const code = typeof thrownCode === 'string' ? thrownCode : undefined
  if (error instanceof HttpError && code !== undefined && isHttpErrorCode(code)) return answer(code, error.message)
  if (code !== undefined && PASSED_ON.has(code) && isHttpErrorCode(code)) return answer(code, error instanceof Error ? error.message : String(error))
  if (code !== undefined && STORE_DOWN.has(code)) return answer('event_store_unavailable', `The event store is unavailable. ${LATER}`)
  if (code !== undefined && SOURCE_DOWN.has(code)) {
    const source = nameOf(fieldOf(error, 'source'))
    const which =
      code === 'circuit_open'
        ? 'A source is paused after failing again and again.'
        : code === 'all_sources_failed'
          ? `No balance source answered${source ? ` (${source})` : ''}.`
          : source
            ? `The source ${source} did not answer.`
            : 'A source did not answer.'
    return answer('source_unavailable', `${which} ${LATER}`)
  }
  if (code === 'venue_failed') {
    const venue = nameOf(fieldOf(error, 'venue'))
    return answer('venue_unavailable', `${venue ? `The venue ${venue}` : 'A venue'} did not answer. ${LATER}`)
  }
  // fastify's refusals carry a 4xx status and an FST_ code.
  const status = fieldOf(error, 'statusCode')
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return answer('invalid_params', 'A path parameter (:mode) is longer than 100 characters.')
  if (code === 'FST_ERR_BAD_URL') return answer('invalid_request', 'The URL is malformed: it holds a percent-encoded sequence that is not UTF-8.')
  if (status === 413) return answer('payload_too_large', `The request body is larger than ${limits.bodyLimit} bytes.`)
  if (status === 415) return answer('unsupported_media_type', 'The request body must be JSON (Content-Type: application/json), or absent.')
  if (typeof status === 'number' && status >= 400 && status < 500 && code?.startsWith('FST_')) return answer('invalid_request', `The request is malformed (${code}).`)
  return answer('internal_error', 'Internal server error; the server log has the details.')
}
