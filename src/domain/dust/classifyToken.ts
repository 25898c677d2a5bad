import type { DustPolicy } from './DustPolicy.js'

/** What a token is to a strategy. Everything that is not one of the first four is dust. */
export type TokenRole = 'share_class' | 'asset' | 'lst' | 'ignored' | 'dust'

/**
 * Classifies a held token for a strategy.
 *
 * Dust is every token that is not the share class, the asset, a configured LST or an
 * equivalent of one (WETH counts as ETH), and is not on the ignore list. No list of reward
 * tokens is kept: a token nobody has heard of yet is dust too.
 */
/** Per LST set, its symbols in lower case: classification runs for every holding of every scan. */
const lowerCaseLsts = new WeakMap<ReadonlySet<string>, ReadonlySet<string>>()

export function classifyToken(policy: Pick<DustPolicy, 'shareClass' | 'asset' | 'lsts' | 'equivalents' | 'ignored'>, symbol: string): TokenRole {
  if (policy.ignored.has(symbol)) return 'ignored'
  const canonical = policy.equivalents.get(symbol) ?? symbol
  if (canonical === policy.shareClass.symbol) return 'share_class'
  if (canonical === policy.asset.symbol) return 'asset'
  let lsts = lowerCaseLsts.get(policy.lsts)
  if (!lsts) {
    lsts = new Set([...policy.lsts].map((lst) => lst.toLowerCase()))
    lowerCaseLsts.set(policy.lsts, lsts)
  }
  return lsts.has(canonical.toLowerCase()) ? 'lst' : 'dust'
}
