import type pg from 'pg'

/**
 * Runs `work` in one transaction on a client of `pool`: BEGIN, the work, COMMIT; ROLLBACK when
 * the work throws. A client whose connection broke (an 'error' event, a failed COMMIT or
 * ROLLBACK) is destroyed rather than returned to the pool. A failed COMMIT is thrown as what
 * `commitFailed` makes of it: the transaction may or may not have been written.
 */
export async function inPgTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, commitFailed: (cause: unknown) => Error): Promise<T> {
  const client = await pool.connect()
  let broken: Error | undefined
  // A checked-out client whose connection dies emits 'error' on itself, not on the pool: with no
  // listener that is an uncaught exception that ends the process. It is kept to destroy the client.
  const onError = (error: Error) => {
    broken ??= error
  }
  client.on('error', onError)
  try {
    await client.query('BEGIN')
    const result = await work(client)
    try {
      await client.query('COMMIT')
    } catch (cause) {
      broken = cause instanceof Error ? cause : new Error(String(cause))
      throw commitFailed(cause)
    }
    return result
  } catch (error) {
    if (!broken) {
      // A failed ROLLBACK means a broken connection: it is destroyed rather than returned to the pool.
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
      })
    }
    throw error
  } finally {
    client.off('error', onError)
    client.release(broken)
  }
}
