import { keccak_256 } from '@noble/hashes/sha3.js'

const encoder = new TextEncoder()

/**
 * Tells whether a 0x-prefixed 20-byte hex address passes EIP-55: an address written in one
 * case (all lower or all upper) carries no checksum and passes; a mixed-case one must have each
 * letter's case set by the keccak-256 hash of its lower-case hex, so a typo in it is caught.
 */
export function isChecksumAddress(address: string): boolean {
  const hex = address.slice(2)
  if (hex === hex.toLowerCase() || hex === hex.toUpperCase()) return true
  const hash = keccak_256(encoder.encode(hex.toLowerCase()))
  for (let index = 0; index < hex.length; index++) {
    const character = hex.charAt(index)
    if (character.toLowerCase() === character.toUpperCase()) continue
    const byte = hash[index >> 1] ?? 0
    const nibble = index % 2 === 0 ? byte >> 4 : byte & 0x0f
    if ((nibble >= 8 ? character.toUpperCase() : character.toLowerCase()) !== character) return false
  }
  return true
}
