import { createStaticAmmVenue } from '../../adapters/static/createStaticAmmVenue.js'
import { createStaticCexVenue } from '../../adapters/static/createStaticCexVenue.js'
import type { BacktestVenueFactories } from '../../engine/backtest/createBacktestMarket.js'

/** The venues a backtest trades on: the static AMM and CEX of paper trading, built at each hour's pools and order books. */
export const backtestVenueFactories: BacktestVenueFactories = { createAmmVenue: createStaticAmmVenue, createCexVenue: createStaticCexVenue }
