import { createPublicClient, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { describe, expect, it } from 'vitest'
import { type LocalChain, startLocalChain } from './startLocalChain.js'

describe('startLocalChain', () => {
  it('runs two nodes side by side, each on its own port with the same development accounts, and stops each', async () => {
    const started: LocalChain[] = []
    try {
      started.push(await startLocalChain({ accountCount: 2 }))
      started.push(await startLocalChain({ accountCount: 3 }))
      const [first, second] = started
      if (!first || !second) throw new Error('two nodes were started')
      expect(first.rpcUrl).not.toBe(second.rpcUrl)
      // Hardhat's development accounts 0, 1 and 2, from the public test mnemonic.
      expect(first.accounts.map((key) => privateKeyToAccount(key).address)).toEqual(['0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'])
      expect(second.accounts.slice(0, 2)).toEqual(first.accounts)
      expect(second.accounts).toHaveLength(3)
      for (const chain of started) {
        const client = createPublicClient({ transport: http(chain.rpcUrl, { retryCount: 0 }) })
        expect(await client.getChainId()).toBe(chain.chainId)
      }
      await first.stop()
      const stopped = createPublicClient({ transport: http(first.rpcUrl, { retryCount: 0 }) })
      await expect(stopped.getChainId()).rejects.toThrow('HTTP request failed')
      expect(await createPublicClient({ transport: http(second.rpcUrl, { retryCount: 0 }) }).getChainId()).toBe(31337)
    } finally {
      await Promise.all(started.map((chain) => chain.stop()))
    }
  }, 60_000)
})
