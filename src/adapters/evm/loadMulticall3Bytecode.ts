import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { type Hex, isHex } from 'viem'

/**
 * Returns the creation bytecode of Multicall3 as viem ships it (viem uses it for deployless
 * multicalls but does not export it), to deploy Multicall3 where a chain lacks it (a local node).
 */
export function loadMulticall3Bytecode(): Hex {
  const require = createRequire(import.meta.url)
  const viemEntry = require.resolve('viem')
  const contracts: unknown = require(join(dirname(viemEntry), 'constants', 'contracts.js'))
  const multicall3Bytecode = typeof contracts === 'object' && contracts !== null && 'multicall3Bytecode' in contracts ? contracts.multicall3Bytecode : undefined
  if (!isHex(multicall3Bytecode) || !multicall3Bytecode.startsWith('0x6080')) {
    throw new Error(`viem at ${dirname(viemEntry)} no longer ships Multicall3's bytecode where expected (constants/contracts.js).`)
  }
  return multicall3Bytecode
}
