import type { Holding } from '../../domain/dust/index.js'
import type { BalanceSource } from '../../ports/index.js'
import { type StaticBalanceSource, createStaticBalanceSource } from '../static/createStaticBalanceSource.js'

export type CreateCcxtPaperAccountParameters = {
  /** Venue name from the config (`binance`): the holdings' venue and exchange custody. */
  name: string
  /** The real account (`createCcxtBalanceSource`), copied once; the paper account starts empty without it. */
  account?: BalanceSource | undefined
}

/** Is an exchange account on paper: a static balance source that starts as a copy of the real one. */
export type CcxtPaperAccount = StaticBalanceSource & {
  /** Copies the real account's balances in, once; later calls wait for that copy. A failed copy is tried again next call. */
  load(): Promise<void>
}

/**
 * Creates the paper account of a ccxt venue: at its first read it copies the real account's
 * free balances (none without a real account), and from then on only transfers and paper
 * sales move it. The real account is never read again, so a paper sale stays sold.
 */
export function createCcxtPaperAccount(parameters: CreateCcxtPaperAccountParameters): CcxtPaperAccount {
  const { name, account } = parameters
  const paper = createStaticBalanceSource({ name, source: 'exchange_balance', custody: { kind: 'exchange', exchange: name }, balances: [] })
  let loading: Promise<void> | undefined
  const load = (): Promise<void> => {
    if (!account) return Promise.resolve()
    loading ??= account.fetchHoldings().then(
      (holdings) => {
        // Credited, not set: a transfer that arrived before the first read is kept.
        for (const holding of holdings) paper.credit(holding.amount)
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    )
    return loading
  }
  return {
    ...paper,
    load,
    async fetchHoldings(): Promise<Holding[]> {
      await load()
      return paper.fetchHoldings()
    },
  }
}
