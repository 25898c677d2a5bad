import { decodeFunctionData, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildSafeTransaction } from './buildSafeTransaction.js'
import { encodeMultiSend } from './encodeMultiSend.js'
import { multiSendCallOnlyAbi } from './zodiacAbis.js'

const MULTI_SEND = '0x9641d764fc13c8B624c04430C7356C1C7C8102e2'
const first = { to: '0x1111111111111111111111111111111111111111', value: 0n, data: '0x095ea7b3' } as const
const second = { to: '0x2222222222222222222222222222222222222222', value: 7n, data: '0x' } as const
const refundless = { safeTxGas: 0n, baseGas: 0n, gasPrice: 0n, gasToken: zeroAddress, refundReceiver: zeroAddress }

describe('buildSafeTransaction', () => {
  it('makes one call a plain CALL to its target', () => {
    expect(buildSafeTransaction({ calls: [second], nonce: 4n, multiSend: MULTI_SEND })).toEqual({ ...second, operation: 0, ...refundless, nonce: 4n })
  })

  it('makes several calls one DELEGATECALL to MultiSendCallOnly with the packed batch', () => {
    const transaction = buildSafeTransaction({ calls: [first, second], nonce: 0n, multiSend: MULTI_SEND })
    expect(transaction).toMatchObject({ to: MULTI_SEND, value: 0n, operation: 1, ...refundless, nonce: 0n })
    const decoded = decodeFunctionData({ abi: multiSendCallOnlyAbi, data: transaction.data })
    expect(decoded).toEqual({ functionName: 'multiSend', args: [encodeMultiSend([first, second])] })
  })

  it('refuses an empty list of calls', () => {
    expect(() => buildSafeTransaction({ calls: [], nonce: 0n, multiSend: MULTI_SEND })).toThrow('A Safe transaction needs at least one call, and none was given.')
  })
})
