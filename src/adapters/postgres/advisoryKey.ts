import { createHash } from 'node:crypto'

/**
 * Returns the bigint key (as text) of a PostgreSQL advisory lock: the first 8 bytes of the
 * SHA-256 of the project, the purpose and the name, so that every process agrees on it.
 */
export function advisoryKey(purpose: 'strategy' | 'schema-migrations' | 'worker-heartbeat', name: string): string {
  return createHash('sha256').update(`dust-manager\0${purpose}\0${name}`).digest().readBigInt64BE(0).toString()
}
