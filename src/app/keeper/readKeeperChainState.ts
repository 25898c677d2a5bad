import { getAddress } from 'viem'
import { type EvmChains, createEvmChains } from '../../adapters/evm/createEvmChains.js'
import { type RolesState, readRolesState } from '../../adapters/zodiac/readRolesState.js'
import { roleKeyOf } from '../../adapters/zodiac/roleKeyOf.js'
import { safeAbi } from '../../adapters/zodiac/zodiacAbis.js'
import { type RolesSignerConfig, type StrategyConfig, isRolesSigner } from '../../config/index.js'
import { ConfigError, SourceError, shortMessageOf } from '../../errors/index.js'

export type { RolesState } from '../../adapters/zodiac/readRolesState.js'

export type ReadKeeperChainStateParameters = {
  config: StrategyConfig
  /** The configuration file, named in a `ConfigError`. */
  file?: string | undefined
  /** The chain registry to read through (a new one by default). */
  chains?: EvmChains | undefined
}

export type KeeperChainState = {
  /** The Safe, its Roles modifier and the configured role, read at `state.block`. */
  state: RolesState
  /** The Safe's `nonce()` at the same block: the nonce its next transaction is signed for. */
  nonce: bigint
}

/**
 * Reads what `dust keeper permissions` and `dust keeper check` compare with the configuration: the
 * Safe, its Roles modifier and the configured role (its history from `roles_from_block`), and the
 * Safe's nonce, from the signer's chain. First checks that the node is on the configured chain
 * id, which the Safe transaction's hash is signed for. Throws `ConfigError` for a signer that is
 * not `type: roles`, a chain not configured or a node on another chain; `SourceError` when the
 * node does not answer, without its URL (URLs carry API keys).
 */
export async function readKeeperChainState(parameters: ReadKeeperChainStateParameters): Promise<KeeperChainState> {
  const { config } = parameters
  const file = parameters.file ?? 'the configuration'
  const signer = config.execution.signer
  if (!isRolesSigner(signer)) {
    throw new ConfigError(file, [
      { path: 'execution.signer', expected: 'a roles signer (type: roles, with safe, roles_modifier, role and keeper)', found: signer === undefined ? 'no signer' : 'a key signer' },
    ])
  }
  const roles: RolesSignerConfig = signer
  const chainConfig = Object.hasOwn(config.chains, roles.chain) ? config.chains[roles.chain] : undefined
  if (chainConfig === undefined) {
    throw new ConfigError(file, [{ path: 'execution.signer.chain', expected: `a chain configured under chains (${Object.keys(config.chains).join(', ') || 'none'})`, found: roles.chain }])
  }
  const { client } = (parameters.chains ?? createEvmChains()).get(roles.chain, chainConfig)
  let chainId: number
  try {
    chainId = await client.getChainId()
  } catch (cause) {
    throw new SourceError(roles.chain, `The ${roles.chain} node did not answer its chain id.`, { cause, details: shortMessageOf(cause) })
  }
  if (chainId !== chainConfig.chain_id) {
    throw new ConfigError(file, [
      { path: `chains.${roles.chain}.chain_id`, expected: `the chain id the node answers (${chainId}), which the Safe transaction is signed for`, found: String(chainConfig.chain_id) },
    ])
  }
  const state = await readRolesState({
    client,
    roles: getAddress(roles.roles_modifier),
    safe: getAddress(roles.safe),
    roleKey: roleKeyOf(roles.role),
    fromBlock: BigInt(roles.roles_from_block),
    chain: roles.chain,
  })
  let nonce: bigint
  try {
    nonce = await client.readContract({ address: state.safe, abi: safeAbi, functionName: 'nonce', blockNumber: state.block })
  } catch (cause) {
    throw new SourceError(roles.chain, `The ${roles.chain} node did not answer the Safe's nonce().`, { cause, details: shortMessageOf(cause) })
  }
  return { state, nonce }
}
