import { describe, expect, it } from 'vitest'
import type { DiscoveredToken, TokenDiscoveryKey } from '../../ports/index.js'
import { checkTokenDiscoveryRecord } from './checkTokenDiscoveryRecord.js'

const KEY: TokenDiscoveryKey = { strategyMode: 'usdt_test', chain: 'ethereum', wallet: '0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c' }
const AIR = '0xAbCdEf0123456789aBcDeF0123456789AbCdEf01'
const BEE = '0x00000000000000000000000000000000000000bE'

/** Runs the check on what breaks the type, as a JavaScript caller may give it. */
function refusalOf(found: { scannedTo: unknown; tokens: ReadonlyArray<Record<string, unknown>> }, key: TokenDiscoveryKey = KEY): unknown {
  try {
    checkTokenDiscoveryRecord(key, found as { scannedTo: bigint; tokens: DiscoveredToken[] })
  } catch (error) {
    return error
  }
  throw new Error('Expected the record to be refused.')
}

describe('checkTokenDiscoveryRecord', () => {
  it('gives the key and each token once, in lower case, at its earliest block, in the order first seen', () => {
    const checked = checkTokenDiscoveryRecord(KEY, {
      scannedTo: 120n,
      tokens: [
        { address: AIR, firstBlock: 90n },
        { address: BEE, firstBlock: 120n },
        { address: AIR.toLowerCase(), firstBlock: 15n },
        { address: AIR.toUpperCase().replace('0X', '0x'), firstBlock: 40n },
      ],
    })
    expect(checked).toEqual({
      key: { strategyMode: 'usdt_test', chain: 'ethereum', wallet: '0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c' },
      scannedTo: 120n,
      tokens: [
        { address: AIR.toLowerCase(), firstBlock: 15n },
        { address: BEE.toLowerCase(), firstBlock: 120n },
      ],
    })
  })

  it('accepts a cursor of block 0 with no tokens, and the largest block a BIGINT column holds', () => {
    expect(checkTokenDiscoveryRecord(KEY, { scannedTo: 0n, tokens: [] }).tokens).toEqual([])
    expect(checkTokenDiscoveryRecord(KEY, { scannedTo: 2n ** 63n - 1n, tokens: [{ address: BEE, firstBlock: 2n ** 63n - 1n }] }).scannedTo).toBe(2n ** 63n - 1n)
  })

  it('refuses a key with the record named in the message', () => {
    expect(refusalOf({ scannedTo: 1n, tokens: [] }, { ...KEY, wallet: 'me' })).toMatchObject({
      name: 'EventStoreError',
      code: 'invalid_parameter',
      message: 'Cannot record the token discovery.\nExpected wallet to be a 0x address of 40 hexadecimal digits, found "me".',
    })
  })

  it.each([
    [-1n, 'bigint -1'],
    [2n ** 63n, 'bigint 9223372036854775808'],
    [12, 'number 12'],
    ['12', '"12"'],
    [undefined, 'nothing'],
  ])('refuses a scannedTo of %s', (scannedTo, found) => {
    expect(refusalOf({ scannedTo, tokens: [] })).toMatchObject({
      code: 'invalid_parameter',
      shortMessage: 'Cannot record the token discovery.',
      details: `Expected scannedTo to be a block number (a bigint from 0), found ${found}.`,
    })
  })

  it.each([
    [{ address: '0xabc', firstBlock: 1n }, 'Expected tokens[1].address to be a 0x address of 40 hexadecimal digits, found "0xabc".'],
    [{ address: null, firstBlock: 1n }, 'Expected tokens[1].address to be a 0x address of 40 hexadecimal digits, found object null.'],
    [{ address: BEE, firstBlock: 11n }, 'Expected tokens[1].firstBlock to be a block number from 0 to scannedTo (10), found bigint 11.'],
    [{ address: BEE, firstBlock: -1n }, 'Expected tokens[1].firstBlock to be a block number from 0 to scannedTo (10), found bigint -1.'],
    [{ address: BEE, firstBlock: 5 }, 'Expected tokens[1].firstBlock to be a block number from 0 to scannedTo (10), found number 5.'],
    [{ address: BEE }, 'Expected tokens[1].firstBlock to be a block number from 0 to scannedTo (10), found nothing.'],
  ])('refuses the token %o by its index', (token, details) => {
    expect(refusalOf({ scannedTo: 10n, tokens: [{ address: AIR, firstBlock: 10n }, token] })).toMatchObject({ code: 'invalid_parameter', details })
  })
})
