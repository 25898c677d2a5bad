import type { PublicClient } from 'viem'
import { SourceError } from '../../errors/index.js'
import type { GasPriceSource } from '../../ports/index.js'

/** Creates a gas price source that asks the node (`eth_gasPrice`). */
export function createEvmGasPriceSource(parameters: { chain: string; client: PublicClient }): GasPriceSource {
  return {
    chain: parameters.chain,
    async fetchGasPrice() {
      try {
        return await parameters.client.getGasPrice()
      } catch (cause) {
        // The message names the chain, never the endpoint: RPC URLs often carry credentials.
        throw new SourceError(parameters.chain, `The ${parameters.chain} node did not give its gas price.`, {
          cause,
          details: typeof cause === 'object' && cause !== null && 'shortMessage' in cause && typeof cause.shortMessage === 'string' ? cause.shortMessage : undefined,
        })
      }
    },
  }
}
