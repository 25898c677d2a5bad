import type { Hex } from 'viem'
import { BaseError } from '../../errors/index.js'

const HEX = /^0x[0-9a-fA-F]*$/

/**
 * Decodes the answer of a function that returns one `uint256` (an ERC-20 `balanceOf`, Multicall3's
 * `getEthBalance`), as viem's `decodeFunctionResult` does for it, without viem's general decoder.
 *
 * Like viem it reads the first 32 bytes and refuses no data, fewer than 32 bytes and digits that
 * are not hex; it also refuses an odd number of hex digits, which viem would pad.
 */
export function decodeUint256(data: Hex): bigint {
  if (typeof data !== 'string' || !HEX.test(data)) {
    throw new BaseError(`A uint256 answer must be 0x and hex digits, found ${typeof data === 'string' ? data.slice(0, 80) : typeof data}.`, { code: 'source_failed' })
  }
  if (data.length % 2 !== 0) throw new BaseError(`A uint256 answer must be whole bytes (an even number of hex digits), found ${data.length - 2} hex digits.`, { code: 'source_failed' })
  if (data.length === 2) throw new BaseError('A uint256 answer must have 32 bytes, found no data (0x).', { code: 'source_failed' })
  if (data.length < 66) throw new BaseError(`A uint256 answer must have 32 bytes, found ${(data.length - 2) / 2}.`, { code: 'source_failed' })
  return BigInt(data.length === 66 ? data : data.slice(0, 66))
}
