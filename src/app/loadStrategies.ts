import { dirname, resolve } from 'node:path'
import type { LocalAccount } from 'viem'
import { type LoadedConfig, isRolesSigner, signerKeySource } from '../config/index.js'
import { ConfigError } from '../errors/index.js'
import type { Strategy } from '../engine/Strategy.js'
import type { Clock, EventStore, Logger } from '../ports/index.js'
import { createStrategy } from './createStrategy.js'
import { loadPriceSourceBuilders } from './prices/loadPriceSourceBuilders.js'
import { loadVenueBuilders } from './venues/loadVenueBuilders.js'

export type LoadStrategiesParameters = {
  /** The loaded configurations, one strategy each. */
  loaded: readonly LoadedConfig[]
  clock: Clock
  /** Environment of the signers' key variables. */
  env: Readonly<Record<string, string | undefined>>
  /** Loads the signer of each configuration that executes (`execution.signer`); commands that only read go without. */
  withSigner: boolean
  /** The event store, where token discovery keeps its cursors; in memory for the process without one. */
  store?: Pick<EventStore, 'readTokenDiscovery' | 'recordTokenDiscovery'> | undefined
  /** Where the adapters that log (token discovery) write; quiet without one. */
  logger?: Logger | undefined
}

/**
 * Builds the strategies of loaded configurations, loading only what they use: the builders of
 * their venue types, the chains when one is configured, the signers when asked for. A strategy
 * of static venues thus starts without viem or ccxt.
 */
export async function loadStrategies(parameters: LoadStrategiesParameters): Promise<Strategy[]> {
  const { loaded, clock, env } = parameters
  const configs = loaded.map(({ config }) => config)
  const [venueBuilders, priceSourceBuilders] = await Promise.all([loadVenueBuilders(configs), loadPriceSourceBuilders(configs)])
  // One chain registry for the whole invocation: every strategy on a chain joins the same batch.
  const chains = loaded.some(({ config }) => Object.keys(config.chains).length > 0) ? (await import('../adapters/evm/createEvmChains.js')).createEvmChains() : undefined
  const strategies: Strategy[] = []
  for (const entry of loaded) {
    const signer = parameters.withSigner ? await loadSignerOf(entry, env) : undefined
    strategies.push(createStrategy({ config: entry.config, clock, chains, signer, venueBuilders, priceSourceBuilders, store: parameters.store, logger: parameters.logger }))
  }
  return strategies
}

/** Loads the signer of a configuration that executes; none for dry-run. */
async function loadSignerOf(entry: LoadedConfig, env: Readonly<Record<string, string | undefined>>): Promise<LocalAccount | undefined> {
  const settings = entry.config.execution.signer
  if (entry.config.execution.mode === 'dry-run' || settings === undefined) return undefined
  const { loadSigner } = await import('../adapters/evm/loadSigner.js')
  const source = signerKeySource(settings)
  const account =
    source.private_key_env !== undefined
      ? await loadSigner({ private_key_env: source.private_key_env, env, file: entry.file })
      : await loadSigner({ keystore_file: resolve(dirname(entry.file), source.keystore_file), keystore_password_env: source.keystore_password_env, env, file: entry.file, roots: entry.fileRoots })
  // A keeper key must be the one the role names: another key would be refused by the Roles modifier on every step.
  if (isRolesSigner(settings) && account.address.toLowerCase() !== settings.keeper.toLowerCase()) {
    const variable = source.private_key_env ?? `keystore file ${source.keystore_file}`
    throw new ConfigError(entry.file, [{ path: 'execution.signer.keeper', expected: `the address of the key in ${variable} (${account.address})`, found: settings.keeper }])
  }
  return account
}
