import { type Address, erc20Abi } from 'viem'
import type { TransferExecutor } from '../../ports/index.js'
import type { EvmTransactor } from './createEvmTransactor.js'

/**
 * Creates the executor that moves tokens from the strategy's wallet to a CEX's deposit
 * address (`transfer`, simulated first). Deposit addresses come from the config, one per CEX.
 */
export function createErc20TransferExecutor(parameters: { transactor: EvmTransactor; depositAddresses: ReadonlyMap<string, Address> }): TransferExecutor {
  const { transactor, depositAddresses } = parameters
  return {
    async transfer(to, amount, journal) {
      const deposit = depositAddresses.get(to)
      if (!deposit) return { ok: false, reason: 'transfer_failed', detail: `No deposit address is configured for ${to} on ${transactor.chain.name}.`, retryable: false }
      if (!amount.currency.address) return { ok: false, reason: 'transfer_failed', detail: `${amount.currency.symbol} is the native coin; only tokens are moved to exchanges.`, retryable: false }
      const result = await transactor.send(
        { address: amount.currency.address, abi: erc20Abi, functionName: 'transfer', args: [deposit, amount.raw] },
        journal && ((hash, signed) => journal.submitting(hash, signed)),
      )
      if (!result.ok) return { ok: false, reason: result.reason === 'reverted' ? 'transfer_reverted' : result.reason, detail: result.detail, retryable: result.retryable }
      return { ok: true, receipt: transactor.receipt('transfer', to, result) }
    },
  }
}
