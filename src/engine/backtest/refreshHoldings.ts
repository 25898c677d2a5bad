import type { Holding } from '../../domain/dust/index.js'
import type { BacktestReplay } from './BacktestReplay.js'
import type { RunState } from './RunState.js'

/** Rebuilds a run's holdings from its claimable rewards and wallet, and the signature that lets runs holding the same share a detection. */
export function refreshHoldings(replay: BacktestReplay, state: RunState): void {
  const custody = { kind: 'onchain', chain: replay.chain } as const
  const holdings: Holding[] = []
  for (const amount of state.claimable.values()) if (amount.isPositive()) holdings.push({ amount, venue: replay.rewardsVenue, source: 'claimable_rewards', custody })
  for (const amount of state.wallet.values()) if (amount.isPositive()) holdings.push({ amount, venue: 'wallet', source: 'wallet_balance', custody })
  state.holdings = holdings
  state.signature = holdings.map((holding) => `${holding.source}:${holding.amount.currency.symbol}:${holding.amount.raw}`).join('|')
}
