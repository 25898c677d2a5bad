import { type Hex, hashTypedData } from 'viem'
import { type SafeTransactionTypedDataParameters, safeTransactionTypedData } from './safeTransactionTypedData.js'

/** Computes the hash a Safe's owners sign for a transaction: what the Safe's `getTransactionHash` answers. */
export function safeTransactionHash(parameters: SafeTransactionTypedDataParameters): Hex {
  return hashTypedData(safeTransactionTypedData(parameters))
}
