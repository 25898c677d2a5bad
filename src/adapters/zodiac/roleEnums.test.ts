import { describe, expect, it } from 'vitest'
import { Clearance, ExecutionOptions, Operator, ParameterType } from 'zodiac-roles-sdk'
import { clearanceOf, executionOptionsOf, operatorOf, parameterTypeOf } from './roleEnums.js'

describe('the Roles modifier numbers, read back as the SDK enums', () => {
  it('maps each number the modifier writes to its member', () => {
    expect([0, 1, 2].map(clearanceOf)).toEqual([Clearance.None, Clearance.Target, Clearance.Function])
    expect([0, 1, 2, 3].map(executionOptionsOf)).toEqual([ExecutionOptions.None, ExecutionOptions.Send, ExecutionOptions.DelegateCall, ExecutionOptions.Both])
    expect(parameterTypeOf(5)).toBe(ParameterType.Calldata)
    expect(operatorOf(16)).toBe(Operator.EqualTo)
  })

  it('gives undefined for a number no member has (a log the modifier would never write)', () => {
    expect([clearanceOf(3), executionOptionsOf(4), operatorOf(255), parameterTypeOf(99)]).toEqual([undefined, undefined, undefined, undefined])
  })
})
