import { type Hex, decodeErrorResult, getAddress, isHex } from 'viem'
import { rolesModifierAbi } from './zodiacAbis.js'

/** Why the Roles modifier refused a call made with a role. */
export type RolesRefusal = {
  /** The modifier's custom error: `ConditionViolation`, `NotAuthorized` (the sender is in no role), `NoMembership` (not in this one)... */
  readonly error: string
  /** For `ConditionViolation`, the name of its status (`ParameterNotAllowed`...). */
  readonly status?: string
  /** What was refused, in words, ending with the error (and status) in brackets: "the role does not allow this parameter value (ConditionViolation ParameterNotAllowed)". */
  readonly words: string
}

/**
 * The Roles v2 `Status` values a `ConditionViolation` carries, by number, with what each means.
 *
 * The order is the contract's `enum Status` (zodiac-roles-sdk's `Status`; a test checks it).
 */
export const rolesConditionStatuses = [
  ['Ok', 'the role allows the call'],
  ['DelegateCallNotAllowed', 'the role does not allow a delegate call to this target'],
  ['TargetAddressNotAllowed', 'the role does not allow calls to this target address'],
  ['FunctionNotAllowed', 'the role does not allow this function on this target'],
  ['SendNotAllowed', 'the role does not allow sending ether to this target'],
  ['OrViolation', 'the call meets none of the branches of an OR condition of the role'],
  ['NorViolation', 'the call meets a branch of a NOR condition of the role'],
  ['ParameterNotAllowed', 'the role does not allow this parameter value'],
  ['ParameterLessThanAllowed', 'a parameter is less than the role allows'],
  ['ParameterGreaterThanAllowed', 'a parameter is greater than the role allows'],
  ['ParameterNotAMatch', 'a parameter does not match the pattern the role allows'],
  ['NotEveryArrayElementPasses', 'not every element of an array parameter meets the role’s condition'],
  ['NoArrayElementPasses', 'no element of an array parameter meets the role’s condition'],
  ['ParameterNotSubsetOfAllowed', 'an array parameter is not a subset of what the role allows'],
  ['BitmaskOverflow', 'a bitmask condition of the role reaches past the end of its parameter'],
  ['BitmaskNotAllowed', 'a parameter does not match the bitmask the role allows'],
  ['CustomConditionViolation', 'a custom condition of the role refused the call'],
  ['AllowanceExceeded', 'the call would exceed an allowance of the role'],
  ['CallAllowanceExceeded', 'the call would exceed the number of calls the role allows'],
  ['EtherAllowanceExceeded', 'the call would exceed the ether allowance of the role'],
] as const

/** The modifier's errors other than `ConditionViolation` that refuse a call while checking the role, with what each means. */
const REFUSALS: Readonly<Record<string, string>> = {
  NoMembership: 'the sender is not a member of this role',
  FunctionSignatureTooShort: 'the calldata is shorter than a function selector, which the role does not allow',
  CalldataOutOfBounds: 'the calldata is shorter than the role’s conditions need to read it',
  MalformedMultiEntrypoint: 'the batch does not have the form the role’s transaction unwrapper reads',
}

/** The revert data an error, or an error of its `cause` chain, carries: viem's `raw` of a decoded revert, or an RPC error's `data`. */
function revertData(error: unknown): Hex[] {
  const found: Hex[] = []
  let current: unknown = error
  for (let depth = 0; depth < 16 && typeof current === 'object' && current !== null; depth += 1) {
    const raw: unknown = Reflect.get(current, 'raw')
    const data: unknown = Reflect.get(current, 'data')
    const nested: unknown = typeof data === 'object' && data !== null ? Reflect.get(data, 'data') : undefined
    for (const candidate of [raw, data, nested]) if (typeof candidate === 'string' && isHex(candidate) && candidate.length >= 10) found.push(candidate)
    current = Reflect.get(current, 'cause')
  }
  return found
}

/** The refusal a Roles custom error stands for; `undefined` for errors that are no refusal of the role. */
function refusalOf(errorName: string, args: readonly unknown[] | undefined): RolesRefusal | undefined {
  if (errorName === 'ConditionViolation') {
    const code = Number(args?.[0])
    const known = rolesConditionStatuses[code]
    const status = known?.[0] ?? `Status${code}`
    const meaning = known?.[1] ?? `the role refused the call with condition status ${code}`
    return { error: errorName, status, words: `${meaning} (ConditionViolation ${status})` }
  }
  if (errorName === 'NotAuthorized') {
    const sender = args?.[0]
    const who = typeof sender === 'string' && isHex(sender) ? `the sender ${getAddress(sender)}` : 'the sender'
    return { error: errorName, words: `${who} is a member of no role of the Roles modifier (NotAuthorized)` }
  }
  const meaning = REFUSALS[errorName]
  return meaning === undefined ? undefined : { error: errorName, words: `${meaning} (${errorName})` }
}

/**
 * Finds, in a viem error, the Roles modifier's refusal of a call made with a role.
 *
 * Reads the revert data of a `ContractFunctionRevertedError`, or of an RPC error anywhere in the
 * `cause` chain (`CallExecutionError`, `EstimateGasExecutionError`), and decodes it with the
 * modifier's ABI. `ConditionViolation`, `NoMembership`, `NotAuthorized` and the calldata errors of
 * the permission check are refusals. `ModuleTransactionFailed` is not: the role allowed the call
 * and the call itself failed (a swap below its minimum output, say), so it gives `undefined`, as
 * does any error that is not the modifier's.
 */
export function decodeRolesRevert(error: unknown): RolesRefusal | undefined {
  for (const data of revertData(error)) {
    try {
      const decoded = decodeErrorResult({ abi: rolesModifierAbi, data })
      return refusalOf(decoded.errorName, decoded.args)
    } catch {
      // Not one of the modifier's errors (a `GS013` from the Safe, say): try the next data found.
    }
  }
  return undefined
}
