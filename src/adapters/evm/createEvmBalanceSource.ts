import { type Address, encodeFunctionData, erc20Abi, multicall3Abi } from 'viem'
import type { Holding } from '../../domain/dust/index.js'
import { Amount, type Currency } from '../../domain/money/index.js'
import type { BalanceSource } from '../../ports/index.js'
import type { EvmCallBatcher, EvmUint256Read } from './createEvmCallBatcher.js'

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
 * every wallet and token of a cycle is read in one multicall. The calldata of every token's read
 * (`balanceOf(owner)`, or Multicall3's `getEthBalance(owner)` for the native coin) is encoded here,
 * once, not at every cycle.
 */
export function createEvmBalanceSource(parameters: CreateEvmBalanceSourceParameters): BalanceSource {
  const { name, owner, tokens, batcher } = parameters
  const reads = tokens.map((token): { token: Currency; read: EvmUint256Read } => ({
    token,
    read:
      token.address === undefined
        ? {
            address: batcher.multicallAddress,
            data: encodeFunctionData({ abi: multicall3Abi, functionName: 'getEthBalance', args: [owner] }),
            label: `getEthBalance on ${batcher.multicallAddress}`,
          }
        : { address: token.address, data: encodeFunctionData({ abi: erc20Abi, functionName: 'balanceOf', args: [owner] }), label: `balanceOf on ${token.address}` },
  }))
  const calls = reads.map(({ read }) => read)
  const custody = { kind: 'onchain', chain: batcher.chain } as const
  return {
    name,
    source: 'wallet_balance',
    async fetchHoldings(): Promise<Holding[]> {
      const balances = await batcher.readUint256s(calls)
      const holdings: Holding[] = []
      for (const [index, { token }] of reads.entries()) {
        const raw = balances[index] ?? 0n
        if (raw > 0n) holdings.push({ amount: Amount.fromRaw(token, raw), venue: name, source: 'wallet_balance', custody: { ...custody } })
      }
      return holdings
    },
  }
}
