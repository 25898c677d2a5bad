import type { Hex } from 'viem'

/**
 * Returns a hex value in lower case: how the Roles modifier's events, the SDK's planner and this
 * project compare addresses, selectors and role keys (`===` on text).
 */
export function lowerHex(value: Hex): Hex {
  return `0x${value.slice(2).toLowerCase()}`
}
