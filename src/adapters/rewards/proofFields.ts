import type { Hex } from 'viem'
import { z } from 'zod'

/** A 32-byte hex value: a root or a proof step, typed as viem's `Hex` once checked. */
export const hash32 = z.custom<Hex>((value) => typeof value === 'string' && /^0x[0-9a-fA-F]{64}$/.test(value), 'a 0x-prefixed 32-byte hex value')

/** A 20-byte hex address, in any case. */
export const hexAddress = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'a 0x-prefixed 20-byte hex address')

/** A whole amount of base units written in decimal (78 digits hold any uint256). */
export const baseUnits = z.string().regex(/^\d{1,78}$/, 'a whole number of base units written in decimal')

/** A proof: at most 256 steps (a tree of 2^256 leaves), each 32 bytes. */
export const proofSteps = z.array(hash32).max(256)
