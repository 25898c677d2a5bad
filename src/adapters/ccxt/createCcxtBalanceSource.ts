import type { Holding } from '../../domain/dust/index.js'
import type { Currency } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import type { BalanceSource } from '../../ports/index.js'
import type { CcxtExchange } from './CcxtExchange.js'
import { classifyCcxtError, parseCcxtBalance } from './parseCcxt.js'

export type CreateCcxtBalanceSourceParameters = {
  /** Venue name from the config (`binance`): the holdings' venue and exchange custody. */
  name: string
  exchange: CcxtExchange
  /** Resolves the exchange's currency codes; balances of unknown codes are left out. */
  registry: ReadonlyMap<string, Currency>
}

/** Creates the balance source of an exchange account: its free balances, through ccxt's `fetchBalance`. */
export function createCcxtBalanceSource(parameters: CreateCcxtBalanceSourceParameters): BalanceSource {
  const { name, exchange, registry } = parameters
  return {
    name,
    source: 'exchange_balance',
    async fetchHoldings(): Promise<Holding[]> {
      let balances: Awaited<ReturnType<CcxtExchange['fetchBalance']>>
      try {
        balances = await exchange.fetchBalance()
      } catch (error) {
        const { reason, retryable } = classifyCcxtError(error)
        throw new SourceError(name, `The ${name} account did not report its balances (${reason}${retryable ? ', worth retrying' : ''}).`, {
          details: error instanceof Error ? error.message : String(error),
          cause: error,
        })
      }
      return parseCcxtBalance(balances, registry, name)
    },
  }
}
