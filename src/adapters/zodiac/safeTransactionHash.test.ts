import { concatHex, encodeAbiParameters, keccak256, parseAbiParameters, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { safeTransactionHash } from './safeTransactionHash.js'

// Safe.sol 1.5.0's constants (safeTransactionTypedData.test.ts checks them against the npm source).
const DOMAIN_SEPARATOR_TYPEHASH = '0x47e79534a245952e8b16893a336b85a3d9ea9fa8c573f3d803afb92a79469218'
const SAFE_TX_TYPEHASH = '0xbb8310d486368db6bd6f849402fdd73ad53d316b5a4b2644ad6efe0f941286d8'

const safe = '0x2222222222222222222222222222222222222222'
const transaction = {
  to: '0x1111111111111111111111111111111111111111',
  value: 5n,
  data: '0xdeadbeef',
  operation: 1,
  safeTxGas: 0n,
  baseGas: 0n,
  gasPrice: 0n,
  gasToken: zeroAddress,
  refundReceiver: zeroAddress,
  nonce: 9n,
} as const

describe('safeTransactionHash', () => {
  it('hashes as Safe.sol’s getTransactionHash does: 0x1901, the domain separator, the SafeTx struct hash', () => {
    // Safe.sol: domainSeparator() = keccak256(abi.encode(DOMAIN_SEPARATOR_TYPEHASH, chainId, this)).
    const domainSeparator = keccak256(encodeAbiParameters(parseAbiParameters('bytes32, uint256, address'), [DOMAIN_SEPARATOR_TYPEHASH, 31337n, safe]))
    const structHash = keccak256(
      encodeAbiParameters(parseAbiParameters('bytes32, address, uint256, bytes32, uint8, uint256, uint256, uint256, address, address, uint256'), [
        SAFE_TX_TYPEHASH,
        transaction.to,
        transaction.value,
        keccak256(transaction.data),
        transaction.operation,
        transaction.safeTxGas,
        transaction.baseGas,
        transaction.gasPrice,
        transaction.gasToken,
        transaction.refundReceiver,
        transaction.nonce,
      ]),
    )
    expect(safeTransactionHash({ safe, chainId: 31337, transaction })).toBe(keccak256(concatHex(['0x1901', domainSeparator, structHash])))
  })

  it('changes with the chain, so that a signature cannot be replayed on another chain', () => {
    expect(safeTransactionHash({ safe, chainId: 1, transaction })).not.toBe(safeTransactionHash({ safe, chainId: 31337, transaction }))
  })
})
