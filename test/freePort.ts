import { createServer } from 'node:net'

/**
 * A TCP port on 127.0.0.1 that nothing listens on, as the kernel hands it out (taken, then let
 * go): for a server to start on, or for a client to find dead. Another process may take it
 * meanwhile; callers that start a server on it retry.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port was assigned.'))))
    })
  })
}
