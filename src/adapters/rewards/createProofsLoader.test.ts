import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { type Server, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RewardClaim } from './RewardClaim.js'
import { createProofsLoader } from './createProofsLoader.js'
import type { ProofsOrigin } from './proofsFormatError.js'

const account = '0x4F2BF7469Bc38d1aE779b1F4affC588f35E60973'
const token = '0x58D97B57BB95320F9a05dC918Aef65434969c2B2'

/** A parser that keeps what it was given, to see the origin and the JSON reach it. */
function recordingParse(): { seen: Array<{ origin: ProofsOrigin; value: unknown }>; parse: (origin: ProofsOrigin, value: unknown) => RewardClaim[] } {
  const seen: Array<{ origin: ProofsOrigin; value: unknown }> = []
  const parse = (origin: ProofsOrigin, value: unknown): RewardClaim[] => {
    seen.push({ origin, value })
    return [{ token, amount: BigInt((value as { amount: string }).amount), proof: [] }]
  }
  return { seen, parse }
}

describe('createProofsLoader from a file', () => {
  const folder = mkdtempSync(join(tmpdir(), 'proofs-'))
  const file = join(folder, 'proofs.json')
  afterAll(() => rmSync(folder, { recursive: true, force: true }))

  it('reads the file again on every call', async () => {
    const { seen, parse } = recordingParse()
    const load = createProofsLoader({ venue: 'drop', location: { file }, account, chainId: 1, parse })
    writeFileSync(file, '{"amount":"5"}')
    expect((await load())[0]?.amount).toBe(5n)
    writeFileSync(file, '{"amount":"7"}')
    expect((await load())[0]?.amount).toBe(7n)
    expect(seen.map(({ origin }) => origin)).toEqual([
      { venue: 'drop', where: file },
      { venue: 'drop', where: file },
    ])
  })

  it('fails with a SourceError naming the venue and the file when it is missing, too large or not JSON', async () => {
    const { parse } = recordingParse()
    const missing = join(folder, 'none.json')
    await expect(createProofsLoader({ venue: 'drop', location: { file: missing }, account, chainId: 1, parse })()).rejects.toThrow(
      expect.objectContaining({ name: 'SourceError', source: 'drop', shortMessage: `The proofs file of drop could not be read: ${missing} is no such file.` }),
    )
    writeFileSync(file, `{"amount":"${'1'.repeat(64)}"}`)
    await expect(createProofsLoader({ venue: 'drop', location: { file }, account, chainId: 1, parse, maxBytes: 32 })()).rejects.toThrow(`${file} is a file of 77 bytes, over the cap of 32 bytes.`)
    writeFileSync(file, 'amount: 5')
    await expect(createProofsLoader({ venue: 'drop', location: { file }, account, chainId: 1, parse })()).rejects.toThrow(`The proofs of drop from ${file} are not JSON.`)
  })
})

describe('createProofsLoader from a URL', () => {
  let server: Server
  let base: string
  const paths: string[] = []
  const authorizations: Array<string | undefined> = []

  beforeAll(async () => {
    server = createServer((request, response) => {
      paths.push(request.url ?? '')
      authorizations.push(request.headers.authorization)
      if (request.url?.startsWith('/hang')) return
      if (request.url?.startsWith('/fail')) return void response.writeHead(503).end('busy')
      if (request.url?.startsWith('/big')) return void response.writeHead(200, { 'content-type': 'application/json' }).end(`{"amount":"${'9'.repeat(100)}"}`)
      if (request.url?.startsWith('/text')) return void response.writeHead(200).end('<html>')
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"amount":"42"}')
    })
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((done) => server.close(done))
  })

  it('fills {account} (in lower case) and {chainId} in, and fetches again on every call', async () => {
    const { seen, parse } = recordingParse()
    const load = createProofsLoader({ venue: 'merkl', location: { url: `${base}/v4/users/{account}/rewards?chainId={chainId}&key=s3cret` }, account, chainId: 8453, parse })
    expect((await load())[0]?.amount).toBe(42n)
    await load()
    expect(paths.slice(-2)).toEqual([`/v4/users/${account.toLowerCase()}/rewards?chainId=8453&key=s3cret`, `/v4/users/${account.toLowerCase()}/rewards?chainId=8453&key=s3cret`])
    // Where the proofs came from is named by host only: the path and query may hold a key.
    expect(seen[0]?.origin).toEqual({ venue: 'merkl', where: base })
  })

  it('sends credentials written in the URL as HTTP basic authentication, never in a message', async () => {
    const { seen, parse } = recordingParse()
    const load = createProofsLoader({ venue: 'merkl', location: { url: base.replace('http://', 'http://desk:pa55@') }, account, chainId: 1, parse })
    expect((await load())[0]?.amount).toBe(42n)
    expect(authorizations.at(-1)).toBe(`Basic ${Buffer.from('desk:pa55').toString('base64')}`)
    expect(seen[0]?.origin).toEqual({ venue: 'merkl', where: base })
  })

  it('fails with a SourceError naming the host only, for an error status, an answer over the cap, no answer, or not JSON', async () => {
    const { parse } = recordingParse()
    const load = (path: string, options: { maxBytes?: number; timeoutMs?: number } = {}) =>
      createProofsLoader({ venue: 'merkl', location: { url: `${base}${path}?key=s3cret` }, account, chainId: 1, parse, ...options })()
    await expect(load('/fail')).rejects.toThrow(`The proofs URL of merkl (${base}) answered HTTP 503; expected 2xx with JSON.`)
    await expect(load('/big', { maxBytes: 64 })).rejects.toThrow(`The proofs URL of merkl (${base}) answered more than 64 bytes; expected one account's proofs.`)
    await expect(load('/hang', { timeoutMs: 200 })).rejects.toThrow(`The proofs URL of merkl (${base}) could not be read: no complete answer within 200 ms.`)
    await expect(load('/text')).rejects.toThrow(`The proofs of merkl from ${base} are not JSON.`)
    const messages = await Promise.all(
      ['/fail', '/text'].map((path) =>
        load(path).then(
          () => '',
          (error: Error) => error.message,
        ),
      ),
    )
    expect(messages.some((message) => message.includes('s3cret'))).toBe(false)
  })
})
