import type { Abi } from 'viem'

const ABI_ITEM_TYPES = new Set(['function', 'event', 'error', 'constructor', 'fallback', 'receive'])

/**
 * Tells whether a value read from a JSON artifact is a contract ABI: a list of items, each an
 * object whose `type` is one of the ABI's kinds. The items' parameters are left to viem, which
 * checks them when it encodes or decodes.
 */
export function isAbi(value: unknown): value is Abi {
  return Array.isArray(value) && value.every((item: unknown) => typeof item === 'object' && item !== null && 'type' in item && typeof item.type === 'string' && ABI_ITEM_TYPES.has(item.type))
}
