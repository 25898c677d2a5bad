import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { type Address, type Hex, isHex } from 'viem'
import { BaseError } from '../../errors/index.js'

/** One `eth_call` of a batch, at the latest block. */
export type EthCallRequest = { readonly to: Address; readonly data: Hex }

/** What the node answered one `eth_call`: its return data, or the JSON-RPC error in its place. */
export type EthCallOutcome = { readonly ok: true; readonly data: Hex } | { readonly ok: false; readonly error: string }

/**
 * Sends `eth_call`s in one HTTP request (a JSON-RPC batch) and gives each one's outcome, in order.
 * Rejects, with a `BaseError` of code `source_failed`, when the request as a whole fails: no
 * connection, a timeout, an HTTP status other than 200, an answer larger than the limit, or one
 * that is not a JSON-RPC batch answer with exactly one answer per call.
 */
export type EthCallPoster = (calls: readonly EthCallRequest[]) => Promise<readonly EthCallOutcome[]>

export type CreateEthCallPosterParameters = {
  /** The node's http(s) URL. It may hold an API key: it appears in no error. */
  url: string
  /** How long the request may take, in milliseconds, from sending to the last byte of the answer. */
  timeoutMs: number
  /** Most bytes of an answer (default `DEFAULT_MAX_ANSWER_BYTES`, 64 MiB); a larger one is cut off and refused. */
  maxAnswerBytes?: number | undefined
  /** Told of every HTTP request, when it is sent. */
  onRequest?: (() => void) | undefined
}

/** Largest answer read when `maxAnswerBytes` is not given: 64 MiB, 20 times a 10,000-balance cycle's 3.2 MB. */
export const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024
/** Most characters of a node's own error text kept in a message. */
const MAX_ERROR_TEXT = 300

function failed(message: string): BaseError {
  return new BaseError(message, { code: 'source_failed' })
}

/** A node's error text as it may appear in a message: printable, on one line, and short. */
function printable(text: string): string {
  const line = text.replace(/[^\x20-\x7e]+/g, ' ').trim()
  return line.length > MAX_ERROR_TEXT ? `${line.slice(0, MAX_ERROR_TEXT)}…` : line
}

/** Describes a JSON-RPC error object as `message (code N)`, whatever shape the node gave it. */
function describeRpcError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return `an error of type ${error === null ? 'null' : typeof error}`
  const message = 'message' in error && typeof error.message === 'string' ? printable(error.message) : 'no message'
  const code = 'code' in error && typeof error.code === 'number' && Number.isSafeInteger(error.code) ? ` (code ${error.code})` : ''
  return `${message}${code}`
}

/**
 * Reads a JSON-RPC batch answer to `count` requests of ids 0 to `count - 1`: one answer per id, in
 * any order as JSON-RPC allows. A single error object in place of the batch (a node that refuses
 * batches, or a rate limit) fails the whole request with its text.
 */
export function readBatchAnswer(text: string, count: number): EthCallOutcome[] {
  const plain = readPlainBatchAnswer(text, count)
  if (plain !== undefined) return plain
  let answer: unknown
  try {
    answer = JSON.parse(text)
  } catch {
    throw failed(`The node's answer is not JSON (${text.length} characters, starting "${printable(text.slice(0, 40))}").`)
  }
  if (!Array.isArray(answer)) {
    if (typeof answer === 'object' && answer !== null && 'error' in answer) throw failed(`The node refused the batch: ${describeRpcError(answer.error)}.`)
    throw failed(`The node's answer is not a JSON-RPC batch: expected an array of ${count} answer(s), found ${answer === null ? 'null' : typeof answer}.`)
  }
  if (answer.length !== count) throw failed(`The node's batch answer is malformed: expected ${count} answer(s), one per call, found ${answer.length}.`)
  const outcomes = new Map<number, EthCallOutcome>()
  const items: readonly unknown[] = answer
  for (const item of items) {
    if (typeof item !== 'object' || item === null || !('id' in item)) throw failed("The node's batch answer is malformed: an answer without an id.")
    const id = item.id
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0 || id >= count) {
      throw failed(`The node's batch answer is malformed: expected ids 0 to ${count - 1}, found ${printable(JSON.stringify(id) ?? String(id))}.`)
    }
    if (outcomes.has(id)) throw failed(`The node's batch answer is malformed: id ${id} answered twice.`)
    if ('error' in item && item.error !== undefined && item.error !== null) {
      outcomes.set(id, { ok: false, error: describeRpcError(item.error) })
      continue
    }
    const result = 'result' in item ? item.result : undefined
    if (!isPrefixedHex(result)) {
      throw failed(`The node's batch answer is malformed: expected 0x-prefixed hex as the result of id ${id}, found ${result === null ? 'null' : typeof result}.`)
    }
    outcomes.set(id, { ok: true, data: result })
  }
  // As many answers as ids, no id twice and none outside 0 to count - 1: every id has its answer.
  return Array.from({ length: count }, (_, id) => outcomes.get(id) ?? { ok: false, error: 'no answer' })
}

const ITEM_START = '{"jsonrpc":"2.0","id":'
const RESULT_START = ',"result":"'

/**
 * Reads the batch answer nodes usually send, `[{"jsonrpc":"2.0","id":0,"result":"0x…"},…]` with
 * every call answered, no error and no whitespace but at the end, without `JSON.parse`: each
 * result is a slice of the text (no copy of its hundreds of kilobytes). Gives undefined for any
 * other text, which `readBatchAnswer` then parses as JSON; for a text it reads it gives what
 * parsing would.
 */
function readPlainBatchAnswer(text: string, count: number): EthCallOutcome[] | undefined {
  if (count === 0 || text.charCodeAt(0) !== 91) return undefined // [
  const outcomes = new Map<number, EthCallOutcome>()
  let at = 1
  for (let item = 0; item < count; item += 1) {
    if (item > 0) {
      if (text.charCodeAt(at) !== 44) return undefined // ,
      at += 1
    }
    if (!text.startsWith(ITEM_START, at)) return undefined
    at += ITEM_START.length
    let end = at
    while (end < at + 9 && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end += 1
    // JSON writes no leading zero; an id of 10 digits or more is not one of ours.
    if (end === at || (end - at > 1 && text.charCodeAt(at) === 48)) return undefined
    const id = Number(text.slice(at, end))
    if (id >= count || outcomes.has(id) || !text.startsWith(RESULT_START, end)) return undefined
    at = end + RESULT_START.length
    const close = text.indexOf('"', at)
    if (close < 0) return undefined
    const data = text.slice(at, close)
    // An escape would mean something else once parsed: JSON.parse reads such a text.
    if (!isPrefixedHex(data) || data.includes('\\')) return undefined
    outcomes.set(id, { ok: true, data })
    at = close + 1
    if (text.charCodeAt(at) !== 125) return undefined // }
    at += 1
  }
  if (text.charCodeAt(at) !== 93 || text.slice(at + 1).trim() !== '') return undefined // ]
  return Array.from({ length: count }, (_, id) => outcomes.get(id) ?? { ok: false, error: 'no answer' })
}

/** Whether a result starts as hex does; its digits are checked by the decoder of the call's answer. */
function isPrefixedHex(value: unknown): value is Hex {
  return typeof value === 'string' && value.startsWith('0x')
}

/** Builds the JSON-RPC batch of `eth_call`s, ids 0 to n - 1, as one string: the calldata is hex already, and needs no escaping. */
export function writeBatchRequest(calls: readonly EthCallRequest[]): string {
  const parts: string[] = []
  for (const [id, call] of calls.entries()) {
    parts.push(`{"jsonrpc":"2.0","id":${id},"method":"eth_call","params":[{"to":"${call.to}","data":"${call.data}"},"latest"]}`)
  }
  return `[${parts.join(',')}]`
}

/**
 * Creates the poster of one node: a batch of `eth_call`s in one HTTP POST on a kept-alive
 * connection, written and read as plain strings. The batcher's reads of a cycle travel this way
 * instead of through viem's general transport, whose serialising, streams and copies of the
 * megabytes of a 10,000-read cycle cost more CPU than all of the project's own work on it.
 *
 * No redirect is followed, and no error names the URL (it may hold an API key).
 */
export function createEthCallPoster(parameters: CreateEthCallPosterParameters): EthCallPoster {
  const url = new URL(parameters.url)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BaseError(`An RPC URL must be http(s), was a ${url.protocol} URL.`, { code: 'invalid_parameter' })
  const secure = url.protocol === 'https:'
  // The password of a URL such as https://user:key@host/ goes as Basic authorisation, as a browser would send it.
  const authorization = url.username === '' && url.password === '' ? undefined : `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
  url.username = ''
  url.password = ''
  const maxAnswerBytes = parameters.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES
  // Kept alive between cycles; idle sockets do not hold the process open.
  const agent = secure ? new HttpsAgent({ keepAlive: true, maxSockets: 4 }) : new HttpAgent({ keepAlive: true, maxSockets: 4 })
  const send = secure ? httpsRequest : httpRequest
  // The body of the last batch: a monitor's cycles read the same wallets and tokens, and the
  // batcher hands the same calldata strings again, so the megabytes are not written anew.
  let last: { calls: readonly EthCallRequest[]; body: Buffer } | undefined

  /** The batch's body: the last one when every call is the same, else newly written. */
  function bodyOf(calls: readonly EthCallRequest[]): Buffer {
    if (last !== undefined && last.calls.length === calls.length && calls.every((call, index) => call.to === last?.calls[index]?.to && call.data === last.calls[index]?.data)) {
      return last.body
    }
    for (const call of calls) {
      // Checked so that the batch is valid JSON whatever a caller passes (a body sent again was checked when written).
      if (!isHex(call.to) || !isHex(call.data)) throw failed('An eth_call of the batch has a target or calldata that is not 0x-prefixed hex.')
    }
    const body = Buffer.from(writeBatchRequest(calls), 'latin1')
    last = { calls: calls.map(({ to, data }) => ({ to, data })), body }
    return body
  }

  return (calls) => {
    if (calls.length === 0) return Promise.resolve([])
    let body: Buffer
    try {
      body = bodyOf(calls)
    } catch (error) {
      return Promise.reject(error)
    }
    parameters.onRequest?.()
    return new Promise<readonly EthCallOutcome[]>((resolve, reject) => {
      let settled = false
      const fail = (error: BaseError) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        outgoing.destroy()
        reject(error)
      }
      const outgoing = send(
        url,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            ...(authorization === undefined ? {} : { authorization }),
          },
        },
        (response: IncomingMessage) => {
          const status = response.statusCode ?? 0
          if (status !== 200) {
            response.resume()
            fail(failed(`The node answered HTTP ${status}${response.statusMessage ? ` ${printable(response.statusMessage)}` : ''}.`))
            return
          }
          const declared = Number(response.headers['content-length'] ?? 0)
          if (declared > maxAnswerBytes) {
            fail(failed(`The node's answer is ${declared} bytes, more than the ${maxAnswerBytes} read.`))
            return
          }
          const chunks: Buffer[] = []
          let bytes = 0
          response.on('data', (chunk: Buffer) => {
            bytes += chunk.length
            if (bytes > maxAnswerBytes) fail(failed(`The node's answer is more than the ${maxAnswerBytes} bytes read.`))
            else chunks.push(chunk)
          })
          response.on('error', () => fail(failed('The connection to the node broke while its answer was read.')))
          response.on('end', () => {
            if (settled) return
            settled = true
            clearTimeout(timer)
            try {
              // Latin-1: a JSON-RPC answer's structure and hex are ASCII, and reading them as Latin-1
              // is cheaper than UTF-8; a node's error text outside ASCII is not shown anyway.
              resolve(readBatchAnswer(Buffer.concat(chunks, bytes).toString('latin1'), calls.length))
            } catch (error) {
              reject(error)
            }
          })
        },
      )
      const timer = setTimeout(() => fail(failed(`The node did not answer within ${parameters.timeoutMs} ms.`)), parameters.timeoutMs)
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        // The code (ECONNREFUSED, ENOTFOUND…) says what happened; the message would name the host.
        fail(failed(`The request to the node failed${typeof error.code === 'string' ? ` (${error.code})` : ''}.`))
      })
      outgoing.end(body)
    })
  }
}
