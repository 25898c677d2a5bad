import { type Abi, toFunctionSelector } from 'viem'
import { describe, expect, it } from 'vitest'
import { loadContractArtifact } from '../localchain/loadContractArtifact.js'
import { lstRateAbi } from './lstRateAbis.js'

/** The selectors of a contract's functions, by name. */
const selectors = (abi: Abi) => Object.fromEntries(abi.flatMap((item) => (item.type === 'function' ? [[item.name, toFunctionSelector(item)]] : [])))

describe('lstRateAbi', () => {
  it('reads with the selectors of the real weETH, wstETH and ERC-4626 functions', () => {
    // getRate() on weETH 0xCd5fE23C85820F7B72D0926FC9b05b43E359b7ee, stEthPerToken() on wstETH 0x7f39C581F595B53c5cb19bD0b3f8dA6c935E2Ca0, EIP-4626.
    expect(selectors(lstRateAbi)).toEqual({ getRate: '0x679aefce', stEthPerToken: '0x035faf82', convertToAssets: '0x07a2d13a', asset: '0x38d52e0f', decimals: '0x313ce567' })
  })

  it('is what the test contracts answer: MockWeETH, MockWstETH and OpenZeppelin 4.9 ERC4626 (DemoVault)', () => {
    expect(selectors(loadContractArtifact('MockWeETH').abi).getRate).toBe('0x679aefce')
    expect(selectors(loadContractArtifact('MockWstETH').abi).stEthPerToken).toBe('0x035faf82')
    expect(selectors(loadContractArtifact('DemoVault').abi)).toMatchObject({ convertToAssets: '0x07a2d13a', asset: '0x38d52e0f', decimals: '0x313ce567' })
  })
})
