import { describe, expect, it } from 'vitest'
import type { TokenDiscoveryKey } from '../../ports/index.js'
import { ADDRESS_PATTERN, checkTokenDiscoveryKey, tokenDiscoveryRefusal } from './checkTokenDiscoveryKey.js'

const WALLET = '0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c'
const KEY: TokenDiscoveryKey = { strategyMode: 'usdt_test', chain: 'ethereum', wallet: WALLET }

/** Runs the check on a key that breaks the type, as a JavaScript caller or a decoded payload may. */
function refusalOf(key: Record<string, unknown>, what?: 'read' | 'record'): unknown {
  try {
    checkTokenDiscoveryKey(key as TokenDiscoveryKey, what)
  } catch (error) {
    return error
  }
  throw new Error('Expected the key to be refused.')
}

describe('checkTokenDiscoveryKey', () => {
  it('gives the key with its wallet in lower case, and nothing else of what it was given', () => {
    expect(checkTokenDiscoveryKey({ ...KEY, extra: 'dropped' } as TokenDiscoveryKey)).toEqual({
      strategyMode: 'usdt_test',
      chain: 'ethereum',
      wallet: '0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c',
    })
  })

  it.each([
    [{ ...KEY, strategyMode: '' }, 'Expected strategyMode to be a non-empty string, found "".'],
    [{ ...KEY, strategyMode: 7 }, 'Expected strategyMode to be a non-empty string, found number 7.'],
    [{ ...KEY, chain: undefined }, 'Expected chain to be a non-empty string, found nothing.'],
    [{ ...KEY, chain: ['ethereum'] }, 'Expected chain to be a non-empty string, found a list.'],
    [{ ...KEY, wallet: '0x5A0b54D5' }, 'Expected wallet to be a 0x address of 40 hexadecimal digits, found "0x5A0b54D5".'],
    [{ ...KEY, wallet: `${WALLET}00` }, `Expected wallet to be a 0x address of 40 hexadecimal digits, found "${WALLET}00".`],
    [{ ...KEY, wallet: { address: WALLET } }, 'Expected wallet to be a 0x address of 40 hexadecimal digits, found an object.'],
    [{ ...KEY, wallet: 10n }, 'Expected wallet to be a 0x address of 40 hexadecimal digits, found bigint 10.'],
  ])('refuses %o to a read, saying what was expected and what was found', (key, details) => {
    expect(refusalOf(key)).toMatchObject({ name: 'EventStoreError', code: 'invalid_parameter', shortMessage: 'Cannot read the token discovery.', details })
  })

  it('names the record in its refusals when checking a key to record', () => {
    expect(refusalOf({ ...KEY, chain: '' }, 'record')).toMatchObject({
      shortMessage: 'Cannot record the token discovery.',
      details: 'Expected chain to be a non-empty string, found "".',
      message: 'Cannot record the token discovery.\nExpected chain to be a non-empty string, found "".',
    })
  })

  it('checks the fields in order: strategyMode before chain before wallet', () => {
    expect(refusalOf({ strategyMode: '', chain: '', wallet: '' })).toMatchObject({ details: 'Expected strategyMode to be a non-empty string, found "".' })
    expect(refusalOf({ strategyMode: 'm', chain: '', wallet: '' })).toMatchObject({ details: 'Expected chain to be a non-empty string, found "".' })
  })

  it('builds its refusals with tokenDiscoveryRefusal, and matches addresses in any case with ADDRESS_PATTERN', () => {
    expect(tokenDiscoveryRefusal('record', 'Expected x, found y.')).toMatchObject({
      name: 'EventStoreError',
      code: 'invalid_parameter',
      message: 'Cannot record the token discovery.\nExpected x, found y.',
    })
    expect([WALLET, WALLET.toLowerCase(), WALLET.toUpperCase().replace('0X', '0x'), WALLET.slice(0, 41), `${WALLET}a`, WALLET.replace('0x', '0X')].map((text) => ADDRESS_PATTERN.test(text))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ])
  })
})
