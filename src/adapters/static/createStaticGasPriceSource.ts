import { Amount } from '../../domain/money/index.js'
import type { GasPriceSource } from '../../ports/index.js'

/** Creates a gas price source that answers a fixed price, given in gwei. */
export function createStaticGasPriceSource(parameters: { chain: string; gwei: string }): GasPriceSource {
  // A gwei is 1e9 wei: read the decimal as a 9-decimal unit, exactly.
  const wei = Amount.parse({ symbol: 'gwei', decimals: 9 }, parameters.gwei).raw
  return {
    chain: parameters.chain,
    async fetchGasPrice() {
      return wei
    },
  }
}
