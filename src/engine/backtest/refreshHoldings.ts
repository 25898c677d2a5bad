import type { Holding } from '../../domain/dust/index.js'
import type { Amount } from '../../domain/money/index.js'
import type { BacktestReplay } from './BacktestReplay.js'
import type { RunState } from './RunState.js'

/** A run's holdings from its claimable rewards and wallet amounts (those above zero), claimable first, and their signature. */
function holdingsOf(replay: BacktestReplay, claimable: Iterable<Amount>, wallet: Iterable<Amount>): Pick<RunState, 'holdings' | 'signature'> {
  const custody = { kind: 'onchain', chain: replay.chain } as const
  const holdings: Holding[] = []
  for (const amount of claimable) if (amount.isPositive()) holdings.push({ amount, venue: replay.rewardsVenue, source: 'claimable_rewards', custody })
  for (const amount of wallet) if (amount.isPositive()) holdings.push({ amount, venue: 'wallet', source: 'wallet_balance', custody })
  return { holdings, signature: signatureOf(holdings) }
}

/** Rebuilds a run's holdings from its claimable rewards and wallet, and the signature that lets runs holding the same share a detection. */
export function refreshHoldings(replay: BacktestReplay, state: RunState): void {
  const { holdings, signature } = holdingsOf(replay, state.claimable.values(), state.wallet.values())
  state.holdings = holdings
  state.signature = signature
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
  const wallet: Amount[] = []
  for (const holding of held) {
    if (holding.source === 'claimable_rewards') claimable.set(holding.amount.currency.symbol, holding.amount)
    else wallet.push(holding.amount)
  }
  for (const amount of credited) {
    const symbol = amount.currency.symbol
    claimable.set(symbol, claimable.get(symbol)?.add(amount) ?? amount)
  }
  return holdingsOf(replay, claimable.values(), wallet)
}
