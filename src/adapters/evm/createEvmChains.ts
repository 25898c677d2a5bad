import { type PublicClient, createPublicClient, defineChain, http, isAddress } from 'viem'
import type { ChainConfig } from '../../config/index.js'
import { BaseError } from '../../errors/index.js'
import type { GasPriceSource } from '../../ports/index.js'
import { createEthCallPoster } from './createEthCallPoster.js'
import { type CreateEvmCallBatcherParameters, type EvmCallBatcher, createEvmCallBatcher } from './createEvmCallBatcher.js'
import { createEvmGasPriceSource } from './createEvmGasPriceSource.js'

/** Everything that talks to one chain: its client, its call batcher and its gas price. */
export type EvmChain = {
  readonly name: string
  readonly client: PublicClient
  readonly batcher: EvmCallBatcher
  readonly gasPrice: GasPriceSource
  /** Round trips made to the node: HTTP requests, each holding one JSON-RPC request or a batch of them. */
  readonly requests: () => number
  /**
   * The protected endpoint swaps are broadcast to (`private_rpc_url`), and what a swap does when it
   * fails (`private_rpc_fallback`); absent when the chain has none. Only transactions go there:
   * every read, estimate and receipt poll stays on `client`.
   */
  readonly privateRpc?: { readonly url: string; readonly fallback: 'never' | 'public' } | undefined
}

/** What `EvmChains.get` reads of a chain's configuration. */
export type EvmChainSettings = Pick<ChainConfig, 'rpc_url' | 'chain_id' | 'multicall_address'> & {
  readonly private_rpc_url?: string | undefined
  readonly private_rpc_fallback?: 'never' | 'public' | undefined
}

/** Hands out one `EvmChain` per endpoint, so that every strategy on a chain shares its batch. */
export type EvmChains = { get(name: string, config: EvmChainSettings): EvmChain }

export type CreateEvmChainsParameters = {
  /**
   * How long one HTTP request to a node may take, in milliseconds (default 10,000). A cycle's
   * reads of a chain travel in one request, so a slow node with many reads may need more.
   */
  timeoutMs?: number | undefined
  /** Most reads in one Multicall3 call (default 500); see `createEvmCallBatcher`. */
  maxCallsPerMulticall?: number | undefined
  /** Most gas of the reads in one Multicall3 call (default 10,000,000); see `createEvmCallBatcher`. */
  maxGasPerMulticall?: bigint | undefined
  /** Told the time of every phase of every batcher's chunks, for benchmarks; see `createEvmCallBatcher`. */
  onTiming?: CreateEvmCallBatcherParameters['onTiming']
}

/** Creates the chain registry of a process. */
export function createEvmChains(parameters: CreateEvmChainsParameters = {}): EvmChains {
  const timeout = parameters.timeoutMs ?? 10_000
  const chains = new Map<string, EvmChain>()
  return {
    get(name, config) {
      const fallback = config.private_rpc_fallback ?? 'never'
      const key = `${config.chain_id}|${config.rpc_url}|${config.multicall_address}|${config.private_rpc_url ?? ''}|${fallback}`
      let chain = chains.get(key)
      if (!chain) {
        const multicallAddress = config.multicall_address
        if (!isAddress(multicallAddress, { strict: false })) {
          throw new BaseError(`chains.${name}.multicall_address must be a 0x-prefixed 20-byte hex address, was "${multicallAddress}".`, { code: 'invalid_parameter' })
        }
        let requests = 0
        const client: PublicClient = createPublicClient({
          chain: defineChain({
            id: config.chain_id,
            name,
            nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
            rpcUrls: { default: { http: [config.rpc_url] } },
          }),
          transport: http(config.rpc_url, {
            // JSON-RPC batching: the batcher's Multicall3 chunks of a cycle (and any other request
            // of the same tick) leave in one HTTP request, which `onFetchRequest` counts once.
            batch: true,
            retryCount: 0,
            timeout,
            onFetchRequest: () => {
              requests += 1
            },
          }),
        })
        chain = {
          name,
          client,
          batcher: createEvmCallBatcher({
            chain: name,
            client,
            // The cycle's reads go out through a lean poster of their own: one JSON-RPC batch of
            // eth_calls, written and read as strings (see createEthCallPoster); the rest uses viem.
            post: createEthCallPoster({
              url: config.rpc_url,
              timeoutMs: timeout,
              onRequest: () => {
                requests += 1
              },
            }),
            multicallAddress,
            maxCallsPerMulticall: parameters.maxCallsPerMulticall,
            maxGasPerMulticall: parameters.maxGasPerMulticall,
            onTiming: parameters.onTiming,
          }),
          gasPrice: createEvmGasPriceSource({ chain: name, client }),
          requests: () => requests,
          ...(config.private_rpc_url === undefined ? {} : { privateRpc: { url: config.private_rpc_url, fallback } }),
        }
        chains.set(key, chain)
      }
      return chain
    },
  }
}
