import type { Address, TypedDataDefinition } from 'viem'
import type { SafeTransaction } from './buildSafeTransaction.js'

/** The EIP-712 `SafeTx` type of Safe 1.3 and later (`SAFE_TX_TYPEHASH` in `Safe.sol`). */
export const safeTxTypes = {
  SafeTx: [
    { name: 'to', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'data', type: 'bytes' },
    { name: 'operation', type: 'uint8' },
    { name: 'safeTxGas', type: 'uint256' },
    { name: 'baseGas', type: 'uint256' },
    { name: 'gasPrice', type: 'uint256' },
    { name: 'gasToken', type: 'address' },
    { name: 'refundReceiver', type: 'address' },
    { name: 'nonce', type: 'uint256' },
  ],
} as const

export type SafeTransactionTypedDataParameters = {
  /** The Safe that executes the transaction (the domain's verifying contract). */
  readonly safe: Address
  readonly chainId: number
  readonly transaction: SafeTransaction
}

/**
 * Describes a Safe transaction as EIP-712 typed data, for viem's `signTypedData` and `hashTypedData`.
 *
 * The domain is Safe 1.3+'s: only `chainId` and `verifyingContract` (no name, no version).
 */
export function safeTransactionTypedData(parameters: SafeTransactionTypedDataParameters): TypedDataDefinition<typeof safeTxTypes, 'SafeTx'> {
  return {
    domain: { chainId: parameters.chainId, verifyingContract: parameters.safe },
    types: safeTxTypes,
    primaryType: 'SafeTx',
    message: { ...parameters.transaction },
  }
}
