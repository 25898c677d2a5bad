import { type Address, type Hex, encodeFunctionData, zeroAddress } from 'viem'
import { BaseError } from '../../errors/index.js'
import { type SafeCall, encodeMultiSend } from './encodeMultiSend.js'
import { multiSendCallOnlyAbi } from './zodiacAbis.js'

export type { SafeCall } from './encodeMultiSend.js'

/** The fields of a Safe transaction, as `execTransaction` takes them and the EIP-712 `SafeTx` type signs them. */
export type SafeTransaction = {
  to: Address
  value: bigint
  data: Hex
  /** 0: CALL, 1: DELEGATECALL. */
  operation: 0 | 1
  safeTxGas: bigint
  baseGas: bigint
  gasPrice: bigint
  gasToken: Address
  refundReceiver: Address
  nonce: bigint
}

export type BuildSafeTransactionParameters = {
  /** The calls, in order; at least one. */
  readonly calls: readonly SafeCall[]
  /** The Safe's current nonce (`nonce()`). */
  readonly nonce: bigint
  /** The MultiSendCallOnly contract a batch is delegate-called into. */
  readonly multiSend: Address
}

/**
 * Builds the Safe transaction that makes the given calls.
 *
 * One call is a plain CALL; several are one DELEGATECALL to MultiSendCallOnly with the packed
 * batch, so that they run in order and revert together. No gas refund: `safeTxGas`, `baseGas`
 * and `gasPrice` are 0 and the gas token and refund receiver are the zero address, so the
 * sender pays the gas and the Safe reverts the whole transaction when an inner call fails.
 */
export function buildSafeTransaction(parameters: BuildSafeTransactionParameters): SafeTransaction {
  const [first, ...rest] = parameters.calls
  if (first === undefined) throw new BaseError('A Safe transaction needs at least one call, and none was given.', { code: 'invalid_parameter' })
  const refundless = { safeTxGas: 0n, baseGas: 0n, gasPrice: 0n, gasToken: zeroAddress, refundReceiver: zeroAddress, nonce: parameters.nonce }
  if (rest.length === 0) return { to: first.to, value: first.value, data: first.data, operation: 0, ...refundless }
  const data = encodeFunctionData({ abi: multiSendCallOnlyAbi, functionName: 'multiSend', args: [encodeMultiSend(parameters.calls)] })
  return { to: parameters.multiSend, value: 0n, data, operation: 1, ...refundless }
}
