import { dirname } from 'node:path'
import type { Address } from 'viem'
import { FileRefusedError, SourceError, redactUrls } from '../../errors/index.js'
import { readConfigFile } from '../system/readConfigFile.js'
import type { RewardClaim } from './RewardClaim.js'
import type { ProofsOrigin } from './proofsFormatError.js'

/** Largest proofs file or answer read: 4 MiB (one account's proofs are a few kilobytes). */
export const PROOFS_MAX_BYTES = 4 * 1024 * 1024

/** How long a proofs URL may take to answer, whole body included: 10 seconds. */
export const PROOFS_TIMEOUT_MS = 10_000

/** Where the proofs are read from each cycle: a file (already resolved to its real path) or an http(s) URL. */
export type ProofsLocation = { readonly file: string } | { readonly url: string }

export type CreateProofsLoaderParameters = {
  /** Venue name from the config. */
  venue: string
  location: ProofsLocation
  /** Replaces `{account}` in a URL, in lower case (Merkl's API asks for it so; hex is read in any case). */
  account: Address
  /** Replaces `{chainId}` in a URL. */
  chainId: number
  /** Reads the proofs format out of the parsed JSON, throwing `SourceError` when it is not that format. */
  parse: (origin: ProofsOrigin, value: unknown) => RewardClaim[]
  /** The fetch to use (the global one by default). */
  fetch?: typeof fetch | undefined
  /** Milliseconds a URL may take (default `PROOFS_TIMEOUT_MS`). */
  timeoutMs?: number | undefined
  /** Largest answer in bytes (default `PROOFS_MAX_BYTES`). */
  maxBytes?: number | undefined
}

/**
 * Creates the loader of a venue's proofs: each call reads them again (roots change every few
 * hours), from the file (inside its folder, a regular UTF-8 file within the cap) or from the URL
 * (`{account}` and `{chainId}` filled in, credentials in it sent as HTTP basic authentication, a
 * 2xx JSON answer within the cap and the timeout), then
 * parses them. Every failure is a `SourceError` naming the venue and the file, or the URL without
 * its path, query or credentials.
 */
export function createProofsLoader(parameters: CreateProofsLoaderParameters): () => Promise<RewardClaim[]> {
  const { venue, location, parse } = parameters
  const maxBytes = parameters.maxBytes ?? PROOFS_MAX_BYTES
  if ('file' in location) {
    const origin: ProofsOrigin = { venue, where: location.file }
    // The file was resolved when the configuration loaded; re-reading it stays inside its folder.
    const roots = [{ path: dirname(location.file), name: "the proofs file's folder" }]
    return async () => {
      let text: string
      try {
        text = await readConfigFile({ file: location.file, maxBytes, roots })
      } catch (cause) {
        if (!(cause instanceof FileRefusedError)) throw cause
        throw new SourceError(venue, `The proofs file of ${venue} could not be read: ${location.file} is ${cause.reason}.`, { cause })
      }
      return parse(origin, parseJson(origin, text))
    }
  }
  const target = new URL(location.url.replaceAll('{account}', parameters.account.toLowerCase()).replaceAll('{chainId}', String(parameters.chainId)))
  const headers: Record<string, string> = { accept: 'application/json' }
  // fetch refuses a URL with credentials in it: they travel as HTTP basic authentication instead.
  if (target.username !== '' || target.password !== '') {
    headers.authorization = `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`
    target.username = ''
    target.password = ''
  }
  const url = target.toString()
  // The path and query may hold an API key: messages name the host only.
  const origin: ProofsOrigin = { venue, where: redactUrls(url) }
  const fetchOf = parameters.fetch ?? fetch
  const timeoutMs = parameters.timeoutMs ?? PROOFS_TIMEOUT_MS
  return async () => {
    const signal = AbortSignal.timeout(timeoutMs)
    let text: string
    try {
      const response = await fetchOf(url, { signal, headers, redirect: 'error' })
      if (!response.ok) {
        await response.body?.cancel()
        throw new SourceError(venue, `The proofs URL of ${venue} (${origin.where}) answered HTTP ${response.status}; expected 2xx with JSON.`)
      }
      text = await readCapped(response, maxBytes, origin)
    } catch (cause) {
      if (cause instanceof SourceError) throw cause
      const why = signal.aborted ? `no complete answer within ${timeoutMs} ms` : redactUrls(cause instanceof Error ? cause.message : String(cause))
      throw new SourceError(venue, `The proofs URL of ${venue} (${origin.where}) could not be read: ${why}.`)
    }
    return parse(origin, parseJson(origin, text))
  }
}

/** Reads a response's body up to `maxBytes`, refusing a longer one before it is all in memory. */
async function readCapped(response: Response, maxBytes: number, origin: ProofsOrigin): Promise<string> {
  const tooLong = () => new SourceError(origin.venue, `The proofs URL of ${origin.venue} (${origin.where}) answered more than ${maxBytes} bytes; expected one account's proofs.`)
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  if (declared > maxBytes) {
    await response.body?.cancel()
    throw tooLong()
  }
  const reader = response.body?.getReader()
  if (reader === undefined) return ''
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      throw tooLong()
    }
    chunks.push(value)
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks, total))
  } catch {
    throw new SourceError(origin.venue, `The proofs URL of ${origin.venue} (${origin.where}) answered bytes that are not UTF-8 text.`)
  }
}

function parseJson(origin: ProofsOrigin, text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new SourceError(origin.venue, `The proofs of ${origin.venue} from ${origin.where} are not JSON.`)
  }
}
