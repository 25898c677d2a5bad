import { describe, expect, it } from 'vitest'
import { describeIncompleteEquity } from './describeIncompleteEquity.js'

describe('describeIncompleteEquity', () => {
  it('names the failed sources, then the holdings without a price, leaving out what is empty', () => {
    expect(describeIncompleteEquity({ failedSources: ['wallet', 'okx'], unpricedHoldings: ['weETH', 'wstETH'] })).toBe('wallet, okx failed; weETH, wstETH held without a price')
    expect(describeIncompleteEquity({ failedSources: ['wallet'], unpricedHoldings: [] })).toBe('wallet failed')
    expect(describeIncompleteEquity({ failedSources: [], unpricedHoldings: ['weETH'] })).toBe('weETH held without a price')
  })
})
