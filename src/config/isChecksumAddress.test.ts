import { getAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { isChecksumAddress } from './isChecksumAddress.js'

// The four examples of EIP-55 itself, and Multicall3 as viem checksums it.
const CHECKSUMMED = [
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
  '0xcA11bde05977b3631167028862bE2a173976CA11',
]

describe('isChecksumAddress', () => {
  it('passes the checksummed examples of EIP-55, as viem writes them', () => {
    for (const address of CHECKSUMMED) {
      expect(getAddress(address)).toBe(address)
      expect(isChecksumAddress(address)).toBe(true)
    }
  })

  it('passes an address written in one case, which carries no checksum', () => {
    for (const address of CHECKSUMMED) {
      expect(isChecksumAddress(address.toLowerCase())).toBe(true)
      expect(isChecksumAddress(`0x${address.slice(2).toUpperCase()}`)).toBe(true)
    }
  })

  it('refuses a mixed-case address with one letter of the wrong case', () => {
    for (const address of CHECKSUMMED) {
      const index = [...address].findIndex((character, position) => position > 1 && /[a-f]/.test(character))
      const typo = `${address.slice(0, index)}${address.charAt(index).toUpperCase()}${address.slice(index + 1)}`
      expect(isChecksumAddress(typo)).toBe(false)
    }
  })
})
