import { type Address, type Hex, concatHex, encodePacked, size } from 'viem'

/** One call a Safe makes: its target, the ether it sends (wei) and its calldata. */
export type SafeCall = { readonly to: Address; readonly value: bigint; readonly data: Hex }

/**
 * Packs calls into the `transactions` bytes of MultiSendCallOnly's `multiSend`.
 *
 * Each call is `uint8 operation` (always 0, CALL: MultiSendCallOnly refuses delegate calls),
 * `address to`, `uint256 value`, `uint256 dataLength` and the data, with no padding.
 */
export function encodeMultiSend(calls: readonly SafeCall[]): Hex {
  return concatHex(calls.map((call) => encodePacked(['uint8', 'address', 'uint256', 'uint256', 'bytes'], [0, call.to, call.value, BigInt(size(call.data)), call.data])))
}
