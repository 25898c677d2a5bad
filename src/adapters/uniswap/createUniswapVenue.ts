import { type Address, type Hex, type PublicClient, erc20Abi, zeroAddress } from 'viem'
import { Amount, type Currency, Fraction } from '../../domain/money/index.js'
import type { QuotedHop, RouteQuote, RouteQuoteFailure } from '../../domain/planning/RouteQuote.js'
import { splitPath } from '../../domain/planning/splitPath.js'
import { SourceError, VenueError } from '../../errors/index.js'
import type { ConversionVenue, SignedTransaction, StepResult, SwapExecutor } from '../../ports/index.js'
import type { EvmCallBatcher } from '../evm/createEvmCallBatcher.js'
import type { EvmSendOptions, EvmTransactionResult, EvmTransactor } from '../evm/createEvmTransactor.js'
import { requireTokenAddress } from '../evm/requireTokenAddress.js'
import { quoterV2Abi, swapRouterAbi, v2FactoryAbi, v2RouterAbi, v3FactoryAbi } from './uniswapAbis.js'
import { encodeV3Path } from './v3Math.js'

/** A pool the venue trades: its two tokens and, on V3, its fee tier (hundredths of a bip: 500, 3000). */
export type UniswapPoolSpec = { readonly tokens: readonly [Currency, Currency]; readonly fee?: number | undefined }

/** A pool found on chain. */
export type UniswapPool = UniswapPoolSpec & { readonly address: Address; readonly fee: number }

export type CreateUniswapVenueParameters = {
  /** Venue name from the config (`uniswap`). */
  name: string
  version: 'v2' | 'v3'
  /** V2: UniswapV2Router02; V3: SwapRouter. */
  router: Address
  factory: Address
  /** V3 only: QuoterV2. */
  quoter?: Address | undefined
  pools: readonly UniswapPoolSpec[]
  batcher: EvmCallBatcher
  /** V2 gas units of a swap and of each further hop (V3 measures its own with QuoterV2). */
  gas: { readonly swap: bigint; readonly extraHop: bigint }
  /** Signs approvals and swaps; absent when the venue only quotes (dry-run). */
  transactor?: EvmTransactor | undefined
  /** The wallet that would sell, and the chain's client: quotes then carry the approval's gas from `eth_estimateGas`. */
  estimateFor?: { readonly owner: Address; readonly client: PublicClient } | undefined
  /** Seconds a swap stays valid after the latest block (default 600). */
  deadlineSeconds?: number | undefined
}

/** A Uniswap venue: quotes on chain, and approves and swaps when it has a signer. */
export type UniswapVenue = ConversionVenue & SwapExecutor & { pools(): Promise<readonly UniswapPool[]> }

/** Gas a V3 swap spends around the pool swaps QuoterV2 measures: the transaction itself, and the router's work per hop (measured on the local node: about 10,500; rounded up, against us). */
export const V3_INTRINSIC_GAS = 21_000n
export const V3_GAS_PER_HOP = 15_000n

const V2_FEE = new Fraction(3n, 1000n)

/** Swaps go to the chain's private endpoint when it has one: a public mempool shows them to sandwichers; approvals carry nothing to take. */
const PRIVATE: EvmSendOptions = { mempool: 'private' }

function isRevert(error: unknown): boolean {
  return error instanceof SourceError && / reverted on /.test(error.shortMessage)
}

/**
 * Creates a Uniswap V2 or V3 venue over its on-chain contracts.
 *
 * Quotes are `eth_call`s batched with the chain's other reads: V2 asks the router's
 * `getAmountsOut`, V3 asks QuoterV2's `quoteExactInput` along a multi-hop path (whose gas
 * estimate, from executing the swaps, becomes the route's gas). Swaps approve the router for
 * exactly the amount sold, then call `swapExactTokensForTokens` or `exactInput` with the
 * floor as the minimum output; each transaction is simulated before it is sent.
 */
export function createUniswapVenue(parameters: CreateUniswapVenueParameters): UniswapVenue {
  const { name, version, router, factory, batcher, transactor } = parameters
  const requireQuoter = (): Address => {
    if (!parameters.quoter) throw new VenueError(name, `The Uniswap V3 venue ${name} needs a QuoterV2 address.`)
    return parameters.quoter
  }
  if (version === 'v3') requireQuoter()
  let resolved: Promise<UniswapPool[]> | undefined

  const pools = (): Promise<UniswapPool[]> => {
    resolved ??= Promise.all(
      parameters.pools.map(async (pool) => {
        const [a, b] = pool.tokens
        const fee = version === 'v2' ? 3000 : (pool.fee ?? 3000)
        const tokens = [requireTokenAddress(a), requireTokenAddress(b)] as const
        const address =
          version === 'v2'
            ? await batcher.read({ address: factory, abi: v2FactoryAbi, functionName: 'getPair', args: tokens })
            : await batcher.read({ address: factory, abi: v3FactoryAbi, functionName: 'getPool', args: [...tokens, fee] })
        if (address === zeroAddress) throw new VenueError(name, `${name} has no ${a.symbol}/${b.symbol} pool${version === 'v3' ? ` with fee ${fee}` : ''} at factory ${factory}.`)
        return { tokens: pool.tokens, fee, address }
      }),
    ).catch((error: unknown) => {
      resolved = undefined
      throw error instanceof VenueError ? error : new VenueError(name, `${name} could not find its pools on ${batcher.chain}.`, { cause: error, retryable: true })
    })
    return resolved
  }

  const poolOf = (all: readonly UniswapPool[], from: Currency, to: Currency) =>
    all.find((pool) => (pool.tokens[0].symbol === from.symbol && pool.tokens[1].symbol === to.symbol) || (pool.tokens[0].symbol === to.symbol && pool.tokens[1].symbol === from.symbol))

  async function quote(path: readonly Currency[], amountIn: Amount): Promise<RouteQuote | RouteQuoteFailure> {
    if (path.length < 2) return { ok: false, reason: 'no_route', detail: `A path needs at least two tokens, found ${path.length}.` }
    const all = await pools()
    const route: Array<{ readonly from: Currency; readonly to: Currency; readonly pool: UniswapPool }> = []
    for (const [from, to] of splitPath(path)) {
      const pool = poolOf(all, from, to)
      if (!pool) return { ok: false, reason: 'no_route', detail: `${name} has no ${from.symbol}/${to.symbol} pool.` }
      route.push({ from, to, pool })
    }
    const hopsPools = route.map((hop) => hop.pool)
    const addresses = path.map(requireTokenAddress)
    // The approval can be estimated before it is given (the swap cannot: it needs the allowance).
    const estimate = parameters.estimateFor
    const approvalGas = estimate
      ? estimate.client
          .estimateContractGas({ address: requireTokenAddress(amountIn.currency), abi: erc20Abi, functionName: 'approve', args: [router, amountIn.raw], account: estimate.owner })
          .catch(() => undefined)
      : Promise.resolve(undefined)
    // What each hop gives, in order (V2's router also answers the amount sold first, which is dropped).
    let outputs: readonly bigint[]
    let gasUnits: bigint
    try {
      if (version === 'v2') {
        const amounts = await batcher.read({ address: router, abi: v2RouterAbi, functionName: 'getAmountsOut', args: [amountIn.raw, addresses], gas: 15_000n * BigInt(path.length) })
        outputs = amounts.slice(1)
        gasUnits = parameters.gas.swap + parameters.gas.extraHop * BigInt(hopsPools.length - 1)
      } else {
        // QuoterV2 gives only the last amount; each hop is quoted along its prefix, in the same batch.
        const prefixes = hopsPools.map((_, index) =>
          batcher.read({
            address: requireQuoter(),
            abi: quoterV2Abi,
            functionName: 'quoteExactInput',
            // The quoter runs the swaps: about 110,000 gas a hop on the local node; budgeted so a batch chunk never runs out.
            gas: 150_000n * BigInt(index + 1),
            args: [
              encodeV3Path(
                addresses.slice(0, index + 2),
                hopsPools.slice(0, index + 1).map((pool) => pool.fee),
              ),
              amountIn.raw,
            ],
          }),
        )
        const answers = await Promise.all(prefixes)
        outputs = answers.map(([amountOut]) => amountOut)
        // The full path's quote (the last prefix) measured the gas of all its swaps.
        const swapsGas = answers.at(-1)?.[3] ?? 0n
        gasUnits = swapsGas + V3_INTRINSIC_GAS + V3_GAS_PER_HOP * BigInt(hopsPools.length)
      }
    } catch (error) {
      if (isRevert(error)) {
        return { ok: false, reason: 'insufficient_liquidity', detail: `${name} cannot quote ${amountIn.toString()} along ${path.map((c) => c.symbol).join(' → ')}: the quote reverted.` }
      }
      throw new VenueError(name, `${name} could not quote on ${batcher.chain}.`, { cause: error, retryable: true, details: error instanceof Error ? error.message : String(error) })
    }
    if (outputs.length !== route.length) {
      throw new VenueError(name, `${name} answered ${outputs.length} amount(s) for a route of ${route.length} hop(s) along ${path.map((c) => c.symbol).join(' → ')}.`)
    }
    const hops: QuotedHop[] = []
    let amountOut = amountIn
    for (const [index, { to, pool }] of route.entries()) {
      const hopIn = amountOut
      const feeRate = version === 'v2' ? V2_FEE : new Fraction(BigInt(pool.fee), 1_000_000n)
      amountOut = Amount.fromRaw(to, outputs[index] ?? 0n)
      hops.push({
        market: `${pool.tokens[0].symbol}/${pool.tokens[1].symbol}${version === 'v3' ? ` ${pool.fee / 10_000}%` : ''}`,
        amountIn: hopIn,
        amountOut,
        fee: hopIn.multiply(feeRate, 'up'),
      })
    }
    const approvalGasUnits = await approvalGas
    return { ok: true, venue: name, path, amountIn, residual: Amount.zero(amountIn.currency), leftovers: [], amountOut, hops, gasUnits, approvalGasUnits }
  }

  const unsigned = (): StepResult => ({ ok: false, reason: 'no_signer', detail: `${name} has no signer: it quotes only.`, retryable: false })

  return {
    name,
    kind: 'dex',
    chain: batcher.chain,
    pools,
    async tradablePairs() {
      return parameters.pools.map((pool) => pool.tokens)
    },
    quote,
    async approve(amount, journal) {
      if (!transactor) return unsigned()
      const token = amount.currency.address
      if (!token) return { ok: false, reason: 'simulation_failed', detail: `${amount.currency.symbol} is a native coin: only tokens are approved.`, retryable: false }
      const result = await transactor.send({ address: token, abi: erc20Abi, functionName: 'approve', args: [router, amount.raw] }, journal && ((hash, signed) => journal.submitting(hash, signed)))
      if (!result.ok) return { ok: false, reason: result.reason === 'reverted' ? 'approval_reverted' : result.reason, detail: result.detail, retryable: result.retryable }
      return { ok: true, receipt: transactor.receipt('approve', name, result) }
    },
    async swap(path, amountIn, minOutput, journal) {
      if (!transactor) return unsigned()
      const client = transactor.chain.client
      const output = path.at(-1)
      if (!output) throw new VenueError(name, `A swap path needs at least two tokens, found ${path.length}.`)
      const recipient = transactor.account
      const outputAddress = requireTokenAddress(output)
      const balanceOf = () => client.readContract({ address: outputAddress, abi: erc20Abi, functionName: 'balanceOf', args: [recipient] })
      const addresses = path.map(requireTokenAddress)
      const before = await balanceOf()
      const deadline = (await client.getBlock()).timestamp + BigInt(parameters.deadlineSeconds ?? 600)
      const onSigned = journal && ((hash: Hex, signed: SignedTransaction) => journal.submitting(hash, signed))
      let result: EvmTransactionResult
      if (version === 'v2') {
        result = await transactor.send(
          { address: router, abi: v2RouterAbi, functionName: 'swapExactTokensForTokens', args: [amountIn.raw, minOutput.raw, addresses, recipient, deadline] },
          onSigned,
          PRIVATE,
        )
      } else {
        const all = await pools()
        const fees = splitPath(path).map(([from, to]) => poolOf(all, from, to)?.fee ?? 3000)
        result = await transactor.send(
          {
            address: router,
            abi: swapRouterAbi,
            functionName: 'exactInput',
            args: [{ path: encodeV3Path(addresses, fees), recipient, deadline, amountIn: amountIn.raw, amountOutMinimum: minOutput.raw }],
          },
          onSigned,
          PRIVATE,
        )
      }
      if (!result.ok)
        return {
          ok: false,
          reason: result.reason === 'simulation_failed' ? 'swap_simulation_failed' : result.reason === 'reverted' ? 'swap_reverted' : result.reason,
          detail: result.detail,
          retryable: result.retryable,
        }
      const received = Amount.fromRaw(output, (await balanceOf()) - before)
      return { ok: true, receipt: transactor.receipt('swap', name, result), amountIn, amountOut: received }
    },
  }
}
