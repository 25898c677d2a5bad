import { describe, expect, it } from 'vitest'
import { BaseError } from '../../errors/index.js'
import { createEvmChains } from './createEvmChains.js'

describe('createEvmChains', () => {
  it('refuses a multicall address that is not an address, naming the setting and the value', () => {
    const chains = createEvmChains()
    const get = () => chains.get('arbitrum', { rpc_url: 'http://127.0.0.1:1', chain_id: 42161, multicall_address: '0xcA11bde05977b3631167028862bE2a173976CA1' })
    expect(get).toThrow(BaseError)
    expect(get).toThrow('chains.arbitrum.multicall_address must be a 0x-prefixed 20-byte hex address, was "0xcA11bde05977b3631167028862bE2a173976CA1".')
    try {
      get()
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_parameter' })
    }
  })

  it('gives one chain per configuration, and another for another multicall address', () => {
    const chains = createEvmChains()
    const config = { rpc_url: 'http://127.0.0.1:1', chain_id: 31337, multicall_address: '0xcA11bde05977b3631167028862bE2a173976CA11' }
    const first = chains.get('local', config)
    expect(chains.get('local', { ...config })).toBe(first)
    expect(chains.get('local', { ...config, multicall_address: '0x0000000000000000000000000000000000000001' })).not.toBe(first)
  })

  it("keeps a chain's private endpoint for its swaps, `never` falling back unless told, and gives another chain for another endpoint or rule", () => {
    const chains = createEvmChains()
    const config = { rpc_url: 'http://127.0.0.1:1', chain_id: 31337, multicall_address: '0xcA11bde05977b3631167028862bE2a173976CA11' }
    const plain = chains.get('local', config)
    expect(plain.privateRpc).toBe(undefined)
    const guarded = chains.get('local', { ...config, private_rpc_url: 'https://relay.example/key' })
    expect(guarded).not.toBe(plain)
    expect(guarded.privateRpc).toEqual({ url: 'https://relay.example/key', fallback: 'never' })
    // Reads stay on the public RPC: the client is the rpc_url's.
    expect(guarded.client.transport.url).toBe('http://127.0.0.1:1')
    expect(chains.get('local', { ...config, private_rpc_url: 'https://relay.example/key', private_rpc_fallback: 'never' })).toBe(guarded)
    const lenient = chains.get('local', { ...config, private_rpc_url: 'https://relay.example/key', private_rpc_fallback: 'public' })
    expect(lenient).not.toBe(guarded)
    expect(lenient.privateRpc).toEqual({ url: 'https://relay.example/key', fallback: 'public' })
  })
})
