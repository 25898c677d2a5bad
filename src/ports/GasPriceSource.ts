/** Gives the gas price of one chain, in wei per gas unit. */
export type GasPriceSource = {
  readonly chain: string
  /** Throws `SourceError` when the chain cannot answer. */
  fetchGasPrice(): Promise<bigint>
}
