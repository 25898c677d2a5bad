import { describe, expect, it } from 'vitest'
import { claim, fixtureReplay, fixtureRun } from '../../../test/fixtureBacktestReplay.js'
import { EIGEN, ETHFI, WETH } from '../../../test/fixtureMoney.js'
import { Amount } from '../../domain/money/index.js'
import { refreshHoldings } from './refreshHoldings.js'

describe('refreshHoldings', () => {
  it('lists the positive claimable rewards and wallet balances on chain, and keys them in the signature', () => {
    const replay = fixtureReplay()
    const state = fixtureRun(replay, 'threshold')
    claim(state, EIGEN, '3')
    state.wallet.set('ETHFI', Amount.parse(ETHFI, '0.5'))
    state.wallet.set('WETH', Amount.zero(WETH))
    refreshHoldings(replay, state)
    const custody = { kind: 'onchain', chain: 'ethereum' }
    expect(state.holdings).toEqual([
      { amount: Amount.parse(EIGEN, '3'), venue: 'etherfi', source: 'claimable_rewards', custody },
      { amount: Amount.parse(ETHFI, '0.5'), venue: 'wallet', source: 'wallet_balance', custody },
    ])
    expect(state.signature).toBe('claimable_rewards:EIGEN:3000000000000000000|wallet_balance:ETHFI:500000000000000000')
  })

  it('clears the holdings and the signature once nothing is held', () => {
    const replay = fixtureReplay()
    const state = fixtureRun(replay, 'threshold')
    claim(state, EIGEN, '3')
    refreshHoldings(replay, state)
    state.claimable.clear()
    refreshHoldings(replay, state)
    expect(state.holdings).toEqual([])
    expect(state.signature).toBe('')
  })
})
