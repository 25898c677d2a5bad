import { BaseError as ViemBaseError, ContractFunctionExecutionError, ContractFunctionRevertedError, encodeErrorResult, erc20Abi, parseAbi } from 'viem'
import { describe, expect, it } from 'vitest'
import { revertReason } from './createEvmTransactor.js'

const errorAbi = parseAbi(['error Error(string)', 'error InsufficientBalance(uint256 available)'])

/** A revert of `transfer` with `data`, wrapped as viem wraps a failed simulation. */
function reverted(data: `0x${string}`): ViemBaseError {
  const cause = new ContractFunctionRevertedError({ abi: [...erc20Abi, ...errorAbi], data, functionName: 'transfer' })
  return new ContractFunctionExecutionError(cause, { abi: erc20Abi, functionName: 'transfer', args: ['0x0000000000000000000000000000000000000001', 1n] })
}

describe('revertReason', () => {
  it("gives a require's message, else the custom error's name", () => {
    expect(revertReason(reverted(encodeErrorResult({ abi: errorAbi, errorName: 'Error', args: ['balance too low'] })))).toBe('balance too low')
    expect(revertReason(reverted(encodeErrorResult({ abi: errorAbi, errorName: 'InsufficientBalance', args: [5n] })))).toBe('InsufficientBalance')
  })

  it('says the call reverted without a reason when its message is empty or absent, never an empty text', () => {
    expect(revertReason(reverted(encodeErrorResult({ abi: errorAbi, errorName: 'Error', args: [''] })))).toBe('reverted without a reason')
    expect(revertReason(reverted('0x'))).toBe('reverted without a reason')
  })

  it("gives other errors' own short message", () => {
    expect(revertReason(new ViemBaseError('The node refused the call.'))).toBe('The node refused the call.')
    expect(revertReason(new Error('socket hang up'))).toBe('socket hang up')
  })
})
