import type { Holding } from '../../domain/dust/index.js'
import type { Amount } from '../../domain/money/index.js'
import type { BacktestReplay } from './BacktestReplay.js'
import type { RunState } from './RunState.js'

/** Rebuilds a run's holdings from its claimable rewards and wallet, and the signature that lets runs holding the same share a detection. */
export function refreshHoldings(replay: BacktestReplay, state: RunState): void {
  const custody = { kind: 'onchain', chain: replay.chain } as const
  const holdings: Holding[] = []
  for (const amount of state.claimable.values()) if (amount.isPositive()) holdings.push({ amount, venue: replay.rewardsVenue, source: 'claimable_rewards', custody })
  for (const amount of state.wallet.values()) if (amount.isPositive()) holdings.push({ amount, venue: 'wallet', source: 'wallet_balance', custody })
  state.holdings = holdings
  state.signature = signatureOf(holdings)
}

/** The key of a set of holdings: runs (and liquidations) of the same holdings share their detection and cost. */
export function signatureOf(holdings: readonly Holding[]): string {
  return holdings.map((holding) => `${holding.source}:${holding.amount.currency.symbol}:${holding.amount.raw}`).join('|')
}

/**
 * `held` with `credited` added to its claimable rewards, token by token, in the order
 * `refreshHoldings` gives (claimable rewards, then the wallet): what a run holding `held` would
 * hold once those rewards came in, had it converted nothing.
 */
export function holdingsWith(replay: BacktestReplay, held: readonly Holding[], credited: readonly Amount[]): Pick<RunState, 'holdings' | 'signature'> {
  const claimable = new Map<string, Amount>()
  const wallet: Holding[] = []
  for (const holding of held) {
    if (holding.source === 'claimable_rewards') claimable.set(holding.amount.currency.symbol, holding.amount)
    else wallet.push(holding)
  }
  for (const amount of credited) {
    const symbol = amount.currency.symbol
    claimable.set(symbol, claimable.get(symbol)?.add(amount) ?? amount)
  }
  const custody = { kind: 'onchain', chain: replay.chain } as const
  const holdings: Holding[] = []
  for (const amount of claimable.values()) if (amount.isPositive()) holdings.push({ amount, venue: replay.rewardsVenue, source: 'claimable_rewards', custody })
  holdings.push(...wallet)
  return { holdings, signature: signatureOf(holdings) }
}
