import type { Custody, Holding, HoldingSource } from '../../domain/dust/index.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import { InvalidAmountError } from '../../errors/index.js'
import type { BalanceSource } from '../../ports/index.js'

export type CreateStaticBalanceSourceParameters = {
  name: string
  source: HoldingSource
  custody: Custody
  balances: ReadonlyArray<Amount>
}

/** A balance source whose balances are given, and can be moved by paper execution. */
export type StaticBalanceSource = BalanceSource & {
  readonly custody: Custody
  /** The balance of one token (zero when none). */
  balanceOf(token: Currency): Amount
  /** Adds to a balance. */
  credit(amount: Amount): void
  /** Takes from a balance; taking more than is held throws. */
  debit(amount: Amount): void
}

/** Creates a balance source from balances in the config (what-if portfolios, tests, paper trading). */
export function createStaticBalanceSource(parameters: CreateStaticBalanceSourceParameters): StaticBalanceSource {
  const balances = new Map<string, Amount>()
  for (const amount of parameters.balances) balances.set(amount.currency.symbol, amount)
  const balanceOf = (token: Currency) => balances.get(token.symbol) ?? Amount.zero(token)
  return {
    name: parameters.name,
    source: parameters.source,
    custody: parameters.custody,
    balanceOf,
    async fetchHoldings(): Promise<Holding[]> {
      return [...balances.values()].filter((amount) => amount.isPositive()).map((amount) => ({ amount, venue: parameters.name, source: parameters.source, custody: parameters.custody }))
    },
    credit(amount) {
      balances.set(amount.currency.symbol, balanceOf(amount.currency).add(amount))
    },
    debit(amount) {
      const held = balanceOf(amount.currency)
      if (held.lessThan(amount)) {
        throw new InvalidAmountError(`${parameters.name} holds ${held.toString()}; cannot take ${amount.toString()}.`)
      }
      balances.set(amount.currency.symbol, held.subtract(amount))
    },
  }
}
