import { type Address, type Hex, encodeAbiParameters, stringToHex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import { loadContractArtifact } from '../localchain/loadContractArtifact.js'
import { createEvmCallBatcher } from './createEvmCallBatcher.js'
import { MAX_TOKEN_DECIMALS, readTokenMetadata } from './readTokenMetadata.js'

const demoToken = loadContractArtifact('DemoToken')
const hostileToken = loadContractArtifact('HostileToken')
const encodeString = (text: string) => encodeAbiParameters([{ type: 'string' }], [text])
const encodeWord = (value: bigint) => encodeAbiParameters([{ type: 'uint256' }], [value])
/** What a bytes32 symbol (MKR's, SAI's) returns: the text's bytes, padded right with zeros. */
const encodeBytes32 = (text: string) => stringToHex(text, { size: 32 })

/** How a `HostileToken` answers: raw return data, or a revert. */
type Answer = Hex | 'reverts'

describe('readTokenMetadata on a local node', () => {
  let evm: EvmFixture

  beforeAll(async () => {
    evm = await startEvmFixture()
  }, 120_000)

  afterAll(async () => {
    await evm?.stop()
  })

  const batcherOf = () => createEvmCallBatcher({ chain: 'local', client: evm.client, multicallAddress: evm.multicall })
  const hostile = (symbol: Answer, decimals: Answer): Promise<Address> =>
    evm.deploy(hostileToken, [symbol === 'reverts' ? '0x' : symbol, symbol === 'reverts', decimals === 'reverts' ? '0x' : decimals, decimals === 'reverts'])

  it('reads a standard ERC-20 token: its string symbol and its decimals, all in one Multicall3 call', async () => {
    const address = await evm.deploy(demoToken, ['Bee Token', 'BEE', 8])
    const batcher = batcherOf()
    expect(await readTokenMetadata({ batcher, address })).toEqual({ symbol: 'BEE', symbolRead: true, decimals: 8 })
    expect(batcher.calls()).toBe(1)
  })

  it.each<[string, Answer, Answer, { symbol: string; symbolRead: boolean; decimals: number | undefined }]>([
    ['a bytes32 symbol, as MKR answers', encodeBytes32('MKR'), encodeWord(18n), { symbol: 'MKR', symbolRead: true, decimals: 18 }],
    ['a bytes32 symbol of 32 letters, no zero byte', encodeBytes32('ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'), encodeWord(0n), { symbol: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', symbolRead: true, decimals: 0 }],
    ['a bytes32 symbol with bytes after its first zero', `${stringToHex('SAI')}00${'41'.repeat(28)}` as Hex, encodeWord(18n), { symbol: 'SAI', symbolRead: true, decimals: 18 }],
    ['a string symbol with spaces and control characters', encodeString('US DT\u0000\n$'), encodeWord(6n), { symbol: 'USDT', symbolRead: true, decimals: 6 }],
    ['a string symbol of 10 kB', encodeString('A'.repeat(10_000)), encodeWord(18n), { symbol: 'UNKNOWN', symbolRead: true, decimals: 18 }],
    ['a string symbol with nothing printable', encodeString('\u{1F680}\u{1F680}'), encodeWord(18n), { symbol: 'UNKNOWN', symbolRead: true, decimals: 18 }],
    ['a symbol() that reverts', 'reverts', encodeWord(18n), { symbol: 'UNKNOWN', symbolRead: false, decimals: 18 }],
    ['a symbol() of 3 bytes, neither a string nor a bytes32', '0x414243', encodeWord(18n), { symbol: 'UNKNOWN', symbolRead: false, decimals: 18 }],
    ['a decimals() that reverts', encodeString('AIR'), 'reverts', { symbol: 'AIR', symbolRead: true, decimals: undefined }],
    [`a decimals() of ${MAX_TOKEN_DECIMALS}, the most a currency may have`, encodeString('AIR'), encodeWord(36n), { symbol: 'AIR', symbolRead: true, decimals: 36 }],
    ['a decimals() of 37', encodeString('AIR'), encodeWord(37n), { symbol: 'AIR', symbolRead: true, decimals: undefined }],
    ['a decimals() of 255', encodeString('AIR'), encodeWord(255n), { symbol: 'AIR', symbolRead: true, decimals: undefined }],
    ['a decimals() of 2^256 - 1', encodeString('AIR'), encodeWord(2n ** 256n - 1n), { symbol: 'AIR', symbolRead: true, decimals: undefined }],
    ['a decimals() that answers no data', encodeString('AIR'), '0x', { symbol: 'AIR', symbolRead: true, decimals: undefined }],
    ['both reverting', 'reverts', 'reverts', { symbol: 'UNKNOWN', symbolRead: false, decimals: undefined }],
  ])('never fails on %s', async (_case, symbol, decimals, expected) => {
    const address = await hostile(symbol, decimals)
    expect(await readTokenMetadata({ batcher: batcherOf(), address })).toEqual(expected)
  })

  it('reads several tokens queued in the same tick in one Multicall3 call, each answer its own', async () => {
    // One deployment after another: the deployer's nonces are taken in order.
    const big = await hostile(encodeString('B'.repeat(10_000)), encodeWord(18n))
    const reverting = await hostile('reverts', 'reverts')
    const word = await hostile(encodeBytes32('MKR'), encodeWord(18n))
    const batcher = batcherOf()
    const read = await Promise.all([big, reverting, word].map((address) => readTokenMetadata({ batcher, address })))
    expect(read).toEqual([
      { symbol: 'UNKNOWN', symbolRead: true, decimals: 18 },
      { symbol: 'UNKNOWN', symbolRead: false, decimals: undefined },
      { symbol: 'MKR', symbolRead: true, decimals: 18 },
    ])
    expect(batcher.calls()).toBe(1)
  })
})
