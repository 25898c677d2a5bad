import { type Address, type Hex, getAddress, toFunctionSignature } from 'viem'
import { roleKeyOf } from '../../adapters/zodiac/roleKeyOf.js'
import {
  KEEPER_FUNCTIONS,
  type KeeperConstraint,
  type KeeperDistributorType,
  type KeeperFunction,
  type KeeperNeed,
  type KeeperNeeds,
  type KeeperParty,
  type KeeperSwapPath,
} from '../../adapters/zodiac/KeeperNeeds.js'
import { type StrategyConfig, isRolesSigner } from '../../config/index.js'
import { classifyToken } from '../../domain/dust/index.js'
import { findPaths } from '../../domain/planning/findPaths.js'
import { ConfigError } from '../../errors/index.js'
import { createDustPolicy, createRegistry } from '../createStrategy.js'

export type DeriveKeeperNeedsOptions = {
  /** The configuration file, named in a `ConfigError`. */
  file?: string | undefined
}

/** An address a parameter may take, what it is, and the venues that name it. */
type Party = { readonly address: Address; readonly what: string; readonly names: string[] }

/** A party as the needs give it: `uniswap_v3 router of uniswap`. */
function partyOf(party: Party): KeeperParty {
  return { address: party.address, label: `${party.what} of ${party.names.join(', ')}` }
}

/** A configured token of the signer's chain, with the address the role names. */
type ChainToken = { readonly symbol: string; readonly address: Address }

/** The need's function, signature included. */
function need(target: Address, label: string, fn: KeeperFunction, constraint: KeeperConstraint): KeeperNeed {
  return { target, label, function: fn, signature: toFunctionSignature(KEEPER_FUNCTIONS[fn]), constraint }
}

/** The fee tier the V3 venue swaps a hop through: its first configured pool of the pair, 3000 when the pool gives none (as `createUniswapVenue` does). */
function hopFee(pools: ReadonlyArray<{ tokens: readonly [string, string]; fee?: number | undefined }>, from: string, to: string): number {
  const pool = pools.find(({ tokens: [a, b] }) => (a === from && b === to) || (a === to && b === from))
  return pool?.fee ?? 3000
}

/**
 * Derives what a strategy's keeper role must allow from its configuration, for a `roles` signer.
 *
 * On the signer's chain the manager claims each rewards venue's rewards to the Safe, approves a
 * DEX venue's router for a dust token it sells there, swaps along the paths the planner finds
 * (`findPaths` over the venue's pools, at most `max_hops`, ending in the share class or an
 * equivalent of it) with the Safe as recipient, and sends dust tokens to each CEX venue's deposit
 * address there. Dust is what `classifyToken` calls dust, less `convert: false` tokens and native
 * coins (which have no contract to call). Pure: nothing is read from a chain.
 *
 * Throws `ConfigError` when the signer is not a `roles` signer, or its chain is not under `chains`.
 */
export function deriveKeeperNeeds(config: StrategyConfig, options: DeriveKeeperNeedsOptions = {}): KeeperNeeds {
  const file = options.file ?? 'the configuration'
  const signer = config.execution.signer
  if (!isRolesSigner(signer)) {
    const found = signer === undefined ? 'no signer' : 'private_key_env' in signer && signer.private_key_env !== undefined ? 'a private_key_env signer' : 'a keystore_file signer'
    throw new ConfigError(file, [{ path: 'execution.signer', expected: 'a roles signer (type: roles, with safe, roles_modifier, role and keeper) to derive a keeper role from', found }])
  }
  const chainName = signer.chain
  const chain = Object.hasOwn(config.chains, chainName) ? config.chains[chainName] : undefined
  if (chain === undefined) {
    throw new ConfigError(file, [{ path: 'execution.signer.chain', expected: `a chain configured under chains (${Object.keys(config.chains).join(', ') || 'none'})`, found: chainName }])
  }

  const { registry } = createRegistry(config)
  const policy = createDustPolicy(config, registry)
  const onChain = new Map<string, ChainToken>()
  for (const token of config.tokens) if (token.chain === chainName && token.address !== undefined) onChain.set(token.symbol, { symbol: token.symbol, address: getAddress(token.address) })
  const addressOf = (symbol: string): Address => {
    const token = onChain.get(symbol)
    if (token === undefined) {
      throw new ConfigError(file, [{ path: 'tokens', expected: `${symbol} in the token registry with an address on ${chainName}, since a venue there trades it`, found: 'none' }])
    }
    return token.address
  }
  const dust = [...onChain.values()].filter((token) => classifyToken(policy, token.symbol) === 'dust' && policy.tokenSettings.get(token.symbol)?.convert !== false)
  // What a swap may end in: the share class, or a token counted as it (WETH for ETH), as the planner's targets.
  const targets = new Set([policy.shareClass.symbol, ...[...policy.equivalents].filter(([, to]) => to === policy.shareClass.symbol).map(([from]) => from)])

  const claims: Array<{ target: Address; fn: KeeperFunction; distributor: KeeperDistributorType; names: string[] }> = []
  const swaps: Array<{ target: Address; kind: 'swap_v2' | 'swap_v3'; type: string; names: string[]; paths: KeeperSwapPath[] }> = []
  // Per token, the routers that may spend it; and the deposit addresses dust may be sent to.
  const spenders = new Map<string, Party[]>()
  const recipients: Party[] = []
  const addParty = (parties: Party[], address: Address, what: string, name: string) => {
    const known = parties.find((party) => party.address === address)
    if (known) known.names.push(name)
    else parties.push({ address, what, names: [name] })
  }

  for (const [name, venue] of Object.entries(config.venues)) {
    switch (venue.type) {
      case 'merkle_rewards':
      case 'merkl':
      case 'morpho_urd':
      case 'merkle_drop': {
        if (venue.chain !== chainName) break
        const target = getAddress(venue.distributor)
        const fn = `claim_${venue.type}` as const
        // Two venues reading one distributor (Merkl's is one address for every token) share its claim.
        const known = claims.find((candidate) => candidate.target === target && candidate.fn === fn)
        if (known) known.names.push(name)
        else claims.push({ target, fn, distributor: venue.type, names: [name] })
        break
      }
      case 'uniswap_v2':
      case 'uniswap_v3': {
        if (venue.chain !== chainName) break
        const router = getAddress(venue.router)
        const pairs = venue.pools.map((pool) => pool.tokens)
        const paths: KeeperSwapPath[] = []
        for (const token of dust) {
          const found = findPaths(pairs, token.symbol, targets, config.max_hops)
          if (found.length === 0) continue
          const routers = spenders.get(token.symbol) ?? []
          addParty(routers, router, `${venue.type} router`, name)
          spenders.set(token.symbol, routers)
          for (const tokens of found) {
            const addresses = tokens.map(addressOf)
            const fees = venue.type === 'uniswap_v3' ? tokens.slice(1).map((to, index) => hopFee(venue.pools, tokens[index] ?? to, to)) : undefined
            paths.push(fees === undefined ? { tokens, addresses } : { tokens, addresses, fees })
          }
        }
        if (paths.length === 0) break
        const kind = venue.type === 'uniswap_v2' ? 'swap_v2' : 'swap_v3'
        // Two venues on one router: one function, the paths of both.
        const known = swaps.find((candidate) => candidate.target === router && candidate.kind === kind)
        if (known) {
          known.names.push(name)
          const seen = new Set(known.paths.map((path) => path.tokens.join('>')))
          known.paths.push(...paths.filter((path) => !seen.has(path.tokens.join('>'))))
        } else swaps.push({ target: router, kind, type: venue.type, names: [name], paths })
        break
      }
      case 'static_cex':
      case 'ccxt':
        if (venue.deposit_chain === chainName && venue.deposit_address !== undefined) addParty(recipients, getAddress(venue.deposit_address), 'deposit address', name)
        break
      default:
        break
    }
  }

  const tokenNeeds: KeeperNeed[] = []
  for (const token of dust) {
    const routers = spenders.get(token.symbol)
    if (routers !== undefined) tokenNeeds.push(need(token.address, token.symbol, 'approve', { kind: 'approve', spenders: routers.map(partyOf) }))
    if (recipients.length > 0) tokenNeeds.push(need(token.address, token.symbol, 'transfer', { kind: 'transfer', recipients: recipients.map(partyOf) }))
  }

  const key: Hex = roleKeyOf(signer.role)
  return {
    chain: { name: chainName, id: chain.chain_id },
    safe: getAddress(signer.safe),
    rolesModifier: getAddress(signer.roles_modifier),
    role: signer.role.startsWith('0x') ? { key } : { key, name: signer.role },
    keeper: getAddress(signer.keeper),
    needs: [
      ...claims.map((claim) => need(claim.target, `${claim.distributor} distributor of ${claim.names.join(', ')}`, claim.fn, { kind: 'claim', distributor: claim.distributor })),
      ...tokenNeeds,
      ...swaps.map((swap) => need(swap.target, `${swap.type} router of ${swap.names.join(', ')}`, swap.kind, { kind: swap.kind, router: swap.target, paths: swap.paths })),
    ],
  }
}
