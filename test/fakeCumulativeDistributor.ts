import { type Address, type Hex, encodeAbiParameters, getAddress, keccak256 } from 'viem'
import type { EvmCallBatcher } from '../src/adapters/evm/createEvmCallBatcher.js'
import type { CumulativeDistributor } from '../src/adapters/rewards/RewardClaim.js'

/** What a fake token answers to `symbol()` and `decimals()`; an absent answer reverts. */
export type FakeTokenAnswers = { symbol?: string; decimals?: number }

/**
 * A cumulative distributor and a call batcher in memory, for the rewards reads without a node:
 * Merkl's leaves (`keccak256(abi.encode(account, token, amount))`), a settable live root, what was
 * claimed per token, and tokens that answer `symbol()` and `decimals()` as told. Every read is
 * logged in the order it was queued.
 */
export type FakeCumulativeDistributor = {
  readonly distributor: CumulativeDistributor
  readonly batcher: EvmCallBatcher
  /** `root`, `claimed <token>`, `check`, `symbol <token>`, `decimals <token>`, in the order queued. */
  readonly reads: string[]
  root: Hex
  readonly claimed: Map<Address, bigint>
  readonly tokens: Map<Address, FakeTokenAnswers>
  /** When set, `readRoot` (or `readClaimed`, `check`) fails with it. */
  failures: { root?: Error; claimed?: Error; check?: Error }
  /** What `check` answers; the distributor has no `check` when `withCheck` is false. */
  problem: string | undefined
}

/** The leaf of Merkl's distributor, which the fake distributor uses (see `buildMerklTree`). */
export function merklLeaf(account: Address, token: Address, amount: bigint): Hex {
  return keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'address' }, { type: 'uint256' }], [account, token, amount]))
}

/** Creates a fake distributor at `address` (labelled `Fake Distributor`) and its batcher on chain `local`. */
export function createFakeCumulativeDistributor(address: Address, options: { withCheck?: boolean } = {}): FakeCumulativeDistributor {
  const reads: string[] = []
  const answer = <T>(what: string, failure: Error | undefined, value: () => T): Promise<T> => {
    reads.push(what)
    return failure === undefined ? Promise.resolve().then(value) : Promise.reject(failure)
  }
  const fake: FakeCumulativeDistributor = {
    reads,
    root: `0x${'00'.repeat(32)}`,
    claimed: new Map(),
    tokens: new Map(),
    failures: {},
    problem: undefined,
    distributor: {
      label: 'Fake Distributor',
      address,
      readRoot: () => answer('root', fake.failures.root, () => fake.root),
      readClaimed: (_batcher, _account, token) => answer(`claimed ${token}`, fake.failures.claimed, () => fake.claimed.get(getAddress(token)) ?? 0n),
      leaf: merklLeaf,
      sendClaim: () => Promise.reject(new Error('The fake distributor sends no claim.')),
      claimData: () => '0x',
      ...(options.withCheck === false ? {} : { check: () => answer('check', fake.failures.check, () => fake.problem) }),
    },
    batcher: {
      chain: 'local',
      multicallAddress: '0xcA11bde05977b3631167028862bE2a173976CA11',
      calls: () => 0,
      nativeBalance: () => Promise.reject(new Error('The fake batcher reads no native balance.')),
      readUint256: () => Promise.reject(new Error('The fake batcher reads no prepared uint256.')),
      readUint256s: () => Promise.reject(new Error('The fake batcher reads no prepared uint256s.')),
      read: ((call: { address: Address; functionName?: string }) => {
        const token = fake.tokens.get(getAddress(call.address))
        const what = `${call.functionName} ${getAddress(call.address)}`
        reads.push(what)
        const value = call.functionName === 'symbol' ? token?.symbol : call.functionName === 'decimals' ? token?.decimals : undefined
        return value === undefined ? Promise.reject(new Error(`The fake token reverts on ${what}.`)) : Promise.resolve(value)
      }) as EvmCallBatcher['read'],
    },
  }
  return fake
}
