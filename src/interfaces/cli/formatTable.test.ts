import { describe, expect, it } from 'vitest'
import { formatTable } from './formatTable.js'

describe('formatTable', () => {
  it('pads every column to its widest cell, two spaces apart, words left and numbers right', () => {
    const table = formatTable(
      ['TOKEN', 'AMOUNT', 'VENUE'],
      [
        ['EIGEN', '1500', 'etherfi'],
        ['ETHFI', '0.95', 'wallet'],
        ['ZRO', '1234567.5', 'binance'],
      ],
      new Set(['AMOUNT']),
    )
    expect(table).toBe(
      [
        'TOKEN     AMOUNT  VENUE', //
        'EIGEN       1500  etherfi',
        'ETHFI       0.95  wallet',
        'ZRO    1234567.5  binance',
      ].join('\n'),
    )
  })

  it('left-aligns every column when none is named, and trims the end of each line', () => {
    expect(
      formatTable(
        ['A', 'LONG HEADER'],
        [
          ['wide cell', ''],
          ['x', 'y'],
        ],
      ),
    ).toBe(['A          LONG HEADER', 'wide cell', 'x          y'].join('\n'))
  })

  it('prints the header alone for no rows, and treats missing cells as empty', () => {
    expect(formatTable(['ONE', 'TWO'], [])).toBe('ONE  TWO')
    expect(formatTable(['ONE', 'TWO', 'THREE'], [['1']], new Set(['TWO']))).toBe('ONE  TWO  THREE\n1')
    // A cell beyond the header is kept, unpadded.
    expect(formatTable(['ONE'], [['1', 'extra']])).toBe('ONE\n1    extra')
  })
})
