import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { keccak256, stringToHex, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { safeTransactionTypedData, safeTxTypes } from './safeTransactionTypedData.js'

/** A `bytes32 private constant NAME = 0x…;` of the Safe 1.5.0 source that npm ships. */
function safeConstant(name: string): string | undefined {
  const root = dirname(createRequire(import.meta.url).resolve('@safe-global/safe-smart-account/package.json'))
  const source = readFileSync(join(root, 'contracts', 'Safe.sol'), 'utf8')
  return new RegExp(`bytes32 private constant ${name} = (0x[0-9a-f]{64});`).exec(source)?.[1]
}

const transaction = {
  to: '0x1111111111111111111111111111111111111111',
  value: 1n,
  data: '0x1234',
  operation: 0,
  safeTxGas: 0n,
  baseGas: 0n,
  gasPrice: 0n,
  gasToken: zeroAddress,
  refundReceiver: zeroAddress,
  nonce: 3n,
} as const

describe('safeTransactionTypedData', () => {
  it('declares the SafeTx type whose hash is Safe.sol’s SAFE_TX_TYPEHASH', () => {
    const encodedType = `SafeTx(${safeTxTypes.SafeTx.map((field) => `${field.type} ${field.name}`).join(',')})`
    expect(keccak256(stringToHex(encodedType))).toBe(safeConstant('SAFE_TX_TYPEHASH'))
    expect(safeConstant('SAFE_TX_TYPEHASH')).toBe('0xbb8310d486368db6bd6f849402fdd73ad53d316b5a4b2644ad6efe0f941286d8')
  })

  it('uses the domain of Safe 1.3+: chain id and verifying contract only, as DOMAIN_SEPARATOR_TYPEHASH says', () => {
    const typed = safeTransactionTypedData({ safe: '0x2222222222222222222222222222222222222222', chainId: 31337, transaction })
    expect(typed.domain).toEqual({ chainId: 31337, verifyingContract: '0x2222222222222222222222222222222222222222' })
    expect(keccak256(stringToHex('EIP712Domain(uint256 chainId,address verifyingContract)'))).toBe(safeConstant('DOMAIN_SEPARATOR_TYPEHASH'))
    expect(typed.primaryType).toBe('SafeTx')
    expect(typed.message).toEqual(transaction)
  })
})
