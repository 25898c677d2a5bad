import { describe, expect, it } from 'vitest'
import { readSubmissionDetail, writeSubmissionDetail } from './submissionDetail.js'

const HASH = `0x${'ab'.repeat(32)}`
const FROM = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

describe('submission details', () => {
  it('writes who signed a transaction, its nonce and the block before, in words, and reads them back', () => {
    const detail = writeSubmissionDetail(HASH, { from: FROM, nonce: 12, block: 19_000_001n })
    expect(detail).toBe(`Transaction ${HASH} signed by ${FROM} with nonce 12 after block 19000001; recorded before it is broadcast.`)
    expect(readSubmissionDetail(HASH, detail)).toEqual({ from: FROM, nonce: 12, block: 19_000_001n })
    expect(readSubmissionDetail(HASH.toUpperCase().replace('0X', '0x'), detail)).toEqual({ from: FROM, nonce: 12, block: 19_000_001n })
  })

  it('reads nothing from a detail about another transaction, another state, or none', () => {
    const detail = writeSubmissionDetail(HASH, { from: FROM, nonce: 12, block: 1n })
    expect(readSubmissionDetail(`0x${'cd'.repeat(32)}`, detail)).toBeUndefined()
    expect(readSubmissionDetail(HASH, 'Recovered after a restart in state planned at step 0.')).toBeUndefined()
    expect(readSubmissionDetail(HASH, undefined)).toBeUndefined()
  })
})
