import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the proxy does to a request it picks: an HTTP 503 for its whole batch, or a JSON-RPC error answer in its place. */
export type RpcFault = 'http_503' | 'rpc_error'

/** A JSON-RPC request as the proxy reads it. */
export type RpcRequest = { readonly id?: unknown; readonly method?: unknown; readonly params?: unknown }

/** A proxy in front of a node that fails the requests a test picks, and forwards the others. */
export type FaultyRpcProxy = { readonly url: string; stop(): Promise<void> }

function isRpcRequest(value: unknown): value is RpcRequest {
  return typeof value === 'object' && value !== null
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)))
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * Starts a proxy on 127.0.0.1 before `target` (a node's RPC URL). Each request (alone or in a
 * JSON-RPC batch) that `picks` returns a fault for is failed that way: `rpc_error` answers it with
 * the error an archive-less node gives for old state (`missing trie node`), `http_503` answers the
 * whole HTTP request 503. Every other request reaches the node.
 */
export async function startFaultyRpcProxy(target: string, picks: (request: RpcRequest) => RpcFault | undefined): Promise<FaultyRpcProxy> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void readBody(request)
      .then(async (body) => {
        const parsed: unknown = JSON.parse(body)
        const requests = (Array.isArray(parsed) ? parsed : [parsed]).filter(isRpcRequest)
        const faults = requests.map((each) => picks(each))
        if (faults.includes('http_503')) {
          response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable')
          return
        }
        const answer = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        const answered: unknown = await answer.json()
        const answers = (Array.isArray(answered) ? answered : [answered]).filter(isRpcRequest)
        const failed = answers.map((each) => {
          const index = requests.findIndex((sent) => sent.id === each.id)
          return faults[index] === 'rpc_error' ? { jsonrpc: '2.0', id: each.id, error: { code: -32000, message: 'missing trie node' } } : each
        })
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Array.isArray(answered) ? failed : failed[0]))
      })
      .catch((error: unknown) => {
        response.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${error instanceof Error ? error.message : String(error)}`)
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address: AddressInfo | string | null = server.address()
  if (address === null || typeof address === 'string') throw new Error(`The faulty RPC proxy listens on no TCP port (${String(address)}).`)
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
