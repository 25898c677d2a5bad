import { type Address, erc20Abi } from 'viem'
import type { Holding } from '../../domain/dust/index.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import type { BalanceSource } from '../../ports/index.js'
import type { EvmCallBatcher } from './createEvmCallBatcher.js'

export type CreateEvmBalanceSourceParameters = {
  /** Venue name from the config (`wallet`). */
  name: string
  owner: Address
  /** Tokens to read; a token without an address is the chain's native coin. */
  tokens: readonly Currency[]
  batcher: EvmCallBatcher
}

/**
 * Creates the balance source of one wallet on one chain. Its reads join the chain's batch, so
 * every wallet and token of a cycle is read in one multicall.
 */
export function createEvmBalanceSource(parameters: CreateEvmBalanceSourceParameters): BalanceSource {
  const { name, owner, tokens, batcher } = parameters
  return {
    name,
    source: 'wallet_balance',
    async fetchHoldings(): Promise<Holding[]> {
      const balances = await Promise.all(
        tokens.map(async (token) => ({
          token,
          raw: token.address === undefined ? await batcher.nativeBalance(owner) : await batcher.read({ address: token.address, abi: erc20Abi, functionName: 'balanceOf', args: [owner] }),
        })),
      )
      return balances
        .filter(({ raw }) => raw > 0n)
        .map(({ raw, token }) => ({ amount: Amount.fromRaw(token, raw), venue: name, source: 'wallet_balance', custody: { kind: 'onchain', chain: batcher.chain } }))
    },
  }
}
