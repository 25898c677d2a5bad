import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** How the proxy treats requests: forwards them, answers 503, or drops the connection. */
export type RpcProxyMode = 'up' | 'unavailable' | 'reset'

/** A local HTTP proxy in front of a JSON-RPC node, that a test can take down and bring back. */
export type RpcProxy = {
  /** `http://127.0.0.1:<port>`; any path is accepted and dropped (a path may carry a fake key). */
  readonly url: string
  setMode(mode: RpcProxyMode): void
  /** Requests seen in each mode. */
  readonly seen: Record<RpcProxyMode, number>
  /** The JSON-RPC methods forwarded to the node (in `up` mode), in order, each of a batch apart. */
  readonly methods: string[]
  stop(): Promise<void>
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/**
 * Starts a proxy on 127.0.0.1 at a free port in front of `target` (a node's RPC URL). In `up`
 * mode each POST body (a JSON-RPC request or batch) goes to the node and its answer comes back
 * as it is; `unavailable` answers HTTP 503 as a load balancer in front of a dead node does;
 * `reset` destroys the connection before any answer.
 */
export async function startRpcProxy(target: string): Promise<RpcProxy> {
  let mode: RpcProxyMode = 'up'
  const seen: Record<RpcProxyMode, number> = { up: 0, unavailable: 0, reset: 0 }
  const methods: string[] = []
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    seen[mode] += 1
    if (mode === 'reset') {
      request.socket.destroy()
      return
    }
    if (mode === 'unavailable') {
      response.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable')
      return
    }
    void readBody(request)
      .then(async (body) => {
        const parsed: unknown = JSON.parse(body.toString('utf8'))
        for (const each of Array.isArray(parsed) ? parsed : [parsed]) methods.push(typeof each === 'object' && each !== null && 'method' in each ? String(each.method) : '(no method)')
        const answer = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
        response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' }).end(Buffer.from(await answer.arrayBuffer()))
      })
      .catch((error: unknown) => {
        response.writeHead(502, { 'content-type': 'text/plain' }).end(`proxy: ${error instanceof Error ? error.message : String(error)}`)
      })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    setMode(next) {
      mode = next
    },
    seen,
    methods,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
