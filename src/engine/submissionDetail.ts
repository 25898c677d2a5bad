import type { SignedTransaction } from '../ports/index.js'

const SIGNED = /^Transaction (0x[0-9a-fA-F]{64}) signed by (0x[0-9a-fA-F]{40}) with nonce (\d+) after block (\d+);/

/** Tells a `0x`-prefixed string (the pattern above matched its hex digits). */
function isHex(value: string): value is `0x${string}` {
  return value.startsWith('0x')
}

/**
 * Writes the detail of a step's `claiming` or `submitted` state for a signed transaction: who
 * signed it, with which nonce, after which block. The log keeps it with the hash, so that a
 * restart can tell a transaction never broadcast from one replaced (see `readSubmissionDetail`).
 */
export function writeSubmissionDetail(reference: string, signed: SignedTransaction): string {
  return `Transaction ${reference} signed by ${signed.from} with nonce ${signed.nonce} after block ${signed.block}; recorded before it is broadcast.`
}

/** Reads back how the transaction `reference` was signed from the detail `writeSubmissionDetail` wrote; `undefined` for any other detail. */
export function readSubmissionDetail(reference: string, detail: string | undefined): SignedTransaction | undefined {
  const [, hash, from, nonce, block] = SIGNED.exec(detail ?? '') ?? []
  if (hash?.toLowerCase() !== reference.toLowerCase() || from === undefined || !isHex(from) || nonce === undefined || block === undefined) return undefined
  return { from, nonce: Number(nonce), block: BigInt(block) }
}
