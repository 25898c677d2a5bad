import { Amount, type Currency, type PriceBook } from '../money/index.js'

export type PriceClaimParameters = {
  readonly priceBook: PriceBook
  readonly shareClass: Currency
  /** The coin gas is paid in; `undefined` when the chain has none configured. */
  readonly native: Currency | undefined
  /** Gas units of one claim. */
  readonly claimGasUnits: bigint
  /** The gas price now, in wei; `undefined` when no source gave one. */
  readonly gasPriceWei: bigint | undefined
}

/**
 * Prices one claim in the share class: its gas units at the gas price, in the native coin,
 * valued at the book's price and rounded up. `undefined` without a gas price, a native coin or
 * a price of it.
 */
export function priceClaim(parameters: PriceClaimParameters): Amount | undefined {
  const { priceBook, shareClass, native, gasPriceWei } = parameters
  if (gasPriceWei === undefined || !native) return undefined
  const nativePrice = priceBook.price(native, shareClass)
  return nativePrice ? nativePrice.quoteAmount(Amount.fromRaw(native, parameters.claimGasUnits * gasPriceWei), 'up') : undefined
}
