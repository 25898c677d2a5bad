import { CallExecutionError, ContractFunctionExecutionError, ContractFunctionRevertedError, EstimateGasExecutionError, RpcRequestError, encodeErrorResult, erc20Abi, pad, stringToHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { Status } from 'zodiac-roles-sdk'
import { decodeRolesRevert, rolesConditionStatuses } from './decodeRolesRevert.js'
import { rolesModifierAbi } from './zodiacAbis.js'

const KEEPER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'

const conditionViolation = (status: number) => encodeErrorResult({ abi: rolesModifierAbi, errorName: 'ConditionViolation', args: [status, pad('0x01')] })

/** The error viem raises for an `eth_call` or `eth_estimateGas` the node answered with revert data. */
const rpcRevert = (data: `0x${string}`) => new RpcRequestError({ body: { method: 'eth_call' }, url: 'http://127.0.0.1:8545', error: { code: 3, message: 'execution reverted', data } })

describe('decodeRolesRevert', () => {
  it('names the status of a ConditionViolation that viem decoded with another ABI (the raw data is kept)', () => {
    const error = new ContractFunctionRevertedError({ abi: erc20Abi, data: conditionViolation(7), functionName: 'execTransactionWithRole' })
    expect(decodeRolesRevert(error)).toEqual({
      error: 'ConditionViolation',
      status: 'ParameterNotAllowed',
      words: 'the role does not allow this parameter value (ConditionViolation ParameterNotAllowed)',
    })
  })

  it('finds the revert data under a ContractFunctionExecutionError, as writeContract and simulateContract raise it', () => {
    const reverted = new ContractFunctionRevertedError({ abi: rolesModifierAbi, data: conditionViolation(3), functionName: 'execTransactionWithRole' })
    const error = new ContractFunctionExecutionError(reverted, { abi: rolesModifierAbi, functionName: 'execTransactionWithRole', args: [] })
    expect(decodeRolesRevert(error)).toEqual({
      error: 'ConditionViolation',
      status: 'FunctionNotAllowed',
      words: 'the role does not allow this function on this target (ConditionViolation FunctionNotAllowed)',
    })
  })

  it('finds raw revert data in the RPC error under a CallExecutionError or an EstimateGasExecutionError', () => {
    const noMembership = encodeErrorResult({ abi: rolesModifierAbi, errorName: 'NoMembership' })
    expect(decodeRolesRevert(new CallExecutionError(rpcRevert(noMembership), {}))).toEqual({ error: 'NoMembership', words: 'the sender is not a member of this role (NoMembership)' })
    expect(decodeRolesRevert(new EstimateGasExecutionError(rpcRevert(conditionViolation(2)), {}))).toEqual({
      error: 'ConditionViolation',
      status: 'TargetAddressNotAllowed',
      words: 'the role does not allow calls to this target address (ConditionViolation TargetAddressNotAllowed)',
    })
  })

  it('names the sender of a NotAuthorized (a sender that no role has as a member)', () => {
    const data = encodeErrorResult({ abi: rolesModifierAbi, errorName: 'NotAuthorized', args: [KEEPER] })
    expect(decodeRolesRevert(rpcRevert(data))).toEqual({ error: 'NotAuthorized', words: `the sender ${KEEPER} is a member of no role of the Roles modifier (NotAuthorized)` })
  })

  it('gives a status beyond the table by its number', () => {
    expect(decodeRolesRevert(rpcRevert(conditionViolation(42)))).toEqual({
      error: 'ConditionViolation',
      status: 'Status42',
      words: 'the role refused the call with condition status 42 (ConditionViolation Status42)',
    })
  })

  it('finds no refusal when the role allowed the call and the call itself failed (ModuleTransactionFailed)', () => {
    expect(decodeRolesRevert(rpcRevert(encodeErrorResult({ abi: rolesModifierAbi, errorName: 'ModuleTransactionFailed' })))).toBeUndefined()
  })

  it('finds no refusal in a Safe revert string, an unknown error, an error without data, or no error', () => {
    const gs013 = encodeErrorResult({ abi: [{ type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] }], errorName: 'Error', args: ['GS013'] })
    expect(decodeRolesRevert(rpcRevert(gs013))).toBeUndefined()
    expect(decodeRolesRevert(rpcRevert(stringToHex('not an error selector at all')))).toBeUndefined()
    expect(decodeRolesRevert(new Error('socket hang up'))).toBeUndefined()
    expect(decodeRolesRevert(undefined)).toBeUndefined()
    expect(decodeRolesRevert('0x')).toBeUndefined()
  })
})

describe('rolesConditionStatuses', () => {
  it('lists the statuses of zodiac-roles-sdk’s Status enum, in its order', () => {
    const sdk = Object.entries(Status)
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
      .sort(([, a], [, b]) => a - b)
      .map(([name]) => name)
    expect(rolesConditionStatuses.map(([name]) => name)).toEqual(sdk)
    expect(Status.ParameterNotAllowed).toBe(7)
  })

  it('says what each status means in a distinct phrase', () => {
    const meanings = rolesConditionStatuses.map(([, meaning]) => meaning)
    expect(new Set(meanings).size).toBe(meanings.length)
  })
})
