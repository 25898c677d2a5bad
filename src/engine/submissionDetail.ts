import type { SignedTransaction } from '../ports/index.js'

const SIGNED = /^Transaction (0x[0-9a-fA-F]{64}) signed by (0x[0-9a-fA-F]{40}) with nonce (\d+) after block (\d+);/

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
  const match = SIGNED.exec(detail ?? '')
  if (!match || match[1]?.toLowerCase() !== reference.toLowerCase()) return undefined
  return { from: match[2] as `0x${string}`, nonce: Number(match[3]), block: BigInt(match[4] as string) }
}
