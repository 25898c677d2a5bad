import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { privateKeyToAccount } from 'viem/accounts'
import { createEvmChains } from '../src/adapters/evm/createEvmChains.js'
import { createRegistry, currencyOf } from '../src/app/createStrategy.js'
import { createVenueAssembly } from '../src/app/venues/createVenueAssembly.js'
import type { VenueAssembly, VenueBuildContext, VenueBuilder, VenueConfigOf, VenueType } from '../src/app/venues/VenueBuilder.js'
import { type StrategyConfig, strategyConfigSchema } from '../src/config/index.js'
import { Amount, type Currency } from '../src/domain/money/index.js'
import { fixtureClock } from './fixtureMoney.js'

/** The strategy's account in the builder tests. */
export const BUILD_ACCOUNT = '0x5A0b54D5dc17e0AadC383d2db43B0a0D3E029c4c'
/** A signer of a fixed key, never funded anywhere: its transactors are built, never used. */
export const BUILD_SIGNER = privateKeyToAccount(`0x${'01'.padStart(64, '0')}`)

/**
 * A strategy configuration on the `local` chain (chain id 31337, an RPC URL nothing listens on)
 * with the EIGEN, USDT and ETH tokens, and `venues` as given; validated by the real schema.
 */
export function buildConfigOf(venues: Record<string, unknown>, overrides: Record<string, unknown> = {}): StrategyConfig {
  return strategyConfigSchema.parse({
    mode: 'usdt_build',
    share_class: 'USDT',
    asset: 'ETH',
    dust_delta: '0.002',
    tokens: [
      { symbol: 'USDT', chain: 'local', decimals: 6, address: '0xdAC17F958D2ee523a2206206994597C13D831ec7' },
      { symbol: 'ETH', chain: 'local', decimals: 18 },
      { symbol: 'EIGEN', chain: 'local', decimals: 18, address: '0xec53bF9167f50cDEB3Ae105f56099aaaB9061F83' },
    ],
    chains: { local: { rpc_url: 'http://127.0.0.1:9', chain_id: 31337 } },
    venues,
    prices: [{ type: 'static', quote: 'USDT', prices: { EIGEN: '1.25', ETH: '2500' } }],
    equity: { type: 'static', value: '1000000' },
    gas_price: { local: { type: 'static', gwei: '1' } },
    ...overrides,
  })
}

/** The currency of a token of `buildConfigOf`'s registry (USDT, ETH or EIGEN on `local`), as the builders get it. */
export function buildCurrency(symbol: 'USDT' | 'ETH' | 'EIGEN'): Currency {
  return currencyOf(createRegistry(buildConfigOf({})).registry, symbol)
}

/**
 * The context `createStrategy` gives the venue builders, for calling one builder directly: the
 * registry of `config`, its chains, and the owners of its `evm_wallet` venues unless `overrides`
 * give others. Dry-run with no signer unless told.
 */
export function createVenueBuildContext(config: StrategyConfig, overrides: Partial<VenueBuildContext> = {}): VenueBuildContext {
  const { registry, natives } = createRegistry(config)
  const chains = createEvmChains()
  const owners = new Map<string, string>()
  for (const venue of Object.values(config.venues)) if (venue.type === 'evm_wallet' && !owners.has(venue.chain)) owners.set(venue.chain, venue.address)
  return {
    config,
    clock: fixtureClock(),
    env: {},
    createExchange: undefined,
    registry,
    natives,
    signer: undefined,
    currency: (symbol) => currencyOf(registry, symbol),
    balances: (values) => Object.entries(values ?? {}).map(([symbol, text]) => Amount.parse(currencyOf(registry, symbol), text)),
    executing: config.execution.mode !== 'dry-run',
    chainOf: (name) => {
      const chain = config.chains[name]
      if (chain === undefined) throw new Error(`test setup: the chain ${name} is not configured`)
      return chains.get(name, chain)
    },
    owners,
    store: undefined,
    logger: undefined,
    ...overrides,
  }
}

/** Builds the venue `name` of `config`, of type `type`, with `builder` called directly on an empty assembly, and gives the assembly. */
export function buildVenueDirectly<T extends VenueType>(builder: VenueBuilder<T>, config: StrategyConfig, name: string, type: T, overrides: Partial<VenueBuildContext> = {}): VenueAssembly {
  const venue = config.venues[name]
  if (venue?.type !== type) throw new Error(`test setup: ${name} is not a ${type} venue`)
  const assembly = createVenueAssembly()
  builder(createVenueBuildContext(config, overrides), assembly, name, venue as VenueConfigOf<T>)
  return assembly
}

/** A temporary folder for proofs files, and a writer of JSON into it. */
export function createProofsFolder(): { folder: string; write(name: string, value: unknown): string; remove(): void } {
  const folder = mkdtempSync(join(tmpdir(), 'venue-build-'))
  return {
    folder,
    write(name, value) {
      const file = join(folder, name)
      writeFileSync(file, JSON.stringify(value))
      return file
    },
    remove: () => rmSync(folder, { recursive: true, force: true }),
  }
}
