import { Clearance, ExecutionOptions, Operator, ParameterType } from 'zodiac-roles-sdk'

/** The numeric members of a TypeScript enum (its object also maps each number back to its name). */
function numericMembers<E extends number>(enumObject: Readonly<Record<string, string | E>>): readonly E[] {
  return Object.values(enumObject).filter((value): value is E => typeof value === 'number')
}

const CLEARANCES = numericMembers<Clearance>(Clearance)
const EXECUTION_OPTIONS = numericMembers<ExecutionOptions>(ExecutionOptions)
const OPERATORS = numericMembers<Operator>(Operator)
const PARAMETER_TYPES = numericMembers<ParameterType>(ParameterType)

/** A target's clearance as the Roles modifier numbers it, or undefined for a number it never writes. */
export function clearanceOf(value: number): Clearance | undefined {
  return CLEARANCES.find((member) => member === value)
}

/** Execution options (send, delegatecall) as the modifier numbers them, or undefined for a number it never writes. */
export function executionOptionsOf(value: number): ExecutionOptions | undefined {
  return EXECUTION_OPTIONS.find((member) => member === value)
}

/** A condition's operator as the modifier numbers it, or undefined for a number Roles v2 does not define. */
export function operatorOf(value: number): Operator | undefined {
  return OPERATORS.find((member) => member === value)
}

/** A condition's parameter type as the modifier numbers it, or undefined for a number Roles v2 does not define. */
export function parameterTypeOf(value: number): ParameterType | undefined {
  return PARAMETER_TYPES.find((member) => member === value)
}
