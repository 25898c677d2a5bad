import { getAddress } from 'viem'
import { createErc20TransferExecutor } from '../../adapters/evm/createErc20TransferExecutor.js'
import { type EvmTransactor, createEvmTransactor } from '../../adapters/evm/createEvmTransactor.js'
import { isRolesSigner } from '../../config/index.js'
import { rolesExecutionOf } from '../../adapters/zodiac/roleKeyOf.js'
import { createVenueExecutionManager } from '../../adapters/execution/createVenueExecutionManager.js'
import { createCurrency } from '../../domain/money/index.js'
import type { TransferExecutor } from '../../ports/index.js'
import type { RealExecution, VenueAssembly, VenueBuildContext } from './VenueBuilder.js'

/**
 * The real execution of the strategy being built: created by the first venue that reads or writes
 * a real chain or exchange, shared by the others. Its signing transactors (one per chain, when the
 * strategy executes with a signer) and its execution manager live here, so that a strategy of
 * static venues never loads viem.
 */
export function useRealExecution(context: VenueBuildContext, assembly: VenueAssembly): RealExecution {
  if (assembly.realExecution) return assembly.realExecution
  const { config, registry, natives, signer, executing, chainOf } = context
  const transactors = new Map<string, EvmTransactor>()
  const settings = config.execution.signer
  // A keeper acts only through its Safe's Roles modifier, on the Safe's chain: elsewhere it signs nothing.
  const roles = isRolesSigner(settings) ? settings : undefined
  const transactorOf = (chain: string): EvmTransactor | undefined => {
    if (!executing || !signer) return undefined
    if (roles && roles.chain !== chain) return undefined
    let transactor = transactors.get(chain)
    if (!transactor) {
      const native = natives.get(chain) ?? createCurrency({ symbol: 'ETH', decimals: 18, chain })
      const via = roles && rolesExecutionOf(roles)
      transactor = createEvmTransactor({ chain: chainOf(chain), account: signer, via, native, logger: context.logger })
      transactors.set(chain, transactor)
    }
    return transactor
  }
  const createExecutionManager = () => {
    const { balanceSources, claimers, swappers, sellers } = assembly
    const depositAddresses = new Map([...assembly.depositAddresses].map(([venue, address]) => [venue, getAddress(address)] as const))
    // On-chain steps are signed; a transfer to a paper CEX lands on chain at its deposit address and credits the paper account.
    const transferers = new Map<string, TransferExecutor>()
    for (const chain of Object.keys(config.chains)) {
      const transactor = transactorOf(chain)
      if (!transactor) continue
      const onchain = createErc20TransferExecutor({ transactor, depositAddresses })
      transferers.set(chain, {
        async transfer(to, amount, journal) {
          const result = await onchain.transfer(to, amount, journal)
          const account = balanceSources.find((source) => source.source === 'exchange_balance' && source.custody.kind === 'exchange' && source.custody.exchange === to)
          if (result.ok && account) account.credit(amount)
          return result
        },
      })
    }
    const transactionLookups = new Map([...transactors].map(([chain, transactor]) => [chain, transactor.lookup] as const))
    return createVenueExecutionManager({ name: config.execution.mode, claimers, swappers, sellers, transferers, registry, transactionLookups })
  }
  assembly.realExecution = { transactorOf, createExecutionManager }
  return assembly.realExecution
}
