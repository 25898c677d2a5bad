import type { Address, Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { loadContractArtifact } from '../src/adapters/localchain/loadContractArtifact.js'
import type { EvmFixture } from './evmFixture.js'

/** Chainlink's own `MockV3Aggregator`, compiled from `@chainlink/contracts` by `scripts/compileContracts.ts`. */
export const mockV3Aggregator = loadContractArtifact('MockV3Aggregator')

/** Sends a transaction from the fixture's deployer and waits until it is mined. */
export async function send(fixture: EvmFixture, address: Address, abi: typeof mockV3Aggregator.abi, functionName: string, args: readonly unknown[]): Promise<void> {
  const hash = await fixture.wallet.writeContract({ address, abi, functionName, args, account: privateKeyToAccount(fixture.chain.accounts[0] as Hex), chain: fixture.wallet.chain })
  const receipt = await fixture.client.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`test setup: ${functionName} on ${address} reverted`)
}

/** A feed on the local node: its address, and a way to write its latest round. */
export type TestFeed = {
  address: Address
  /**
   * Writes round `roundId` as the latest (`updateRoundData`): `latestRoundData()` then answers it,
   * with `answeredInRound` equal to `roundId`.
   */
  setRound(round: { roundId: bigint; answer: bigint; updatedAt: bigint; startedAt?: bigint }): Promise<void>
}

/** Deploys a `MockV3Aggregator` with its decimals and first answer. */
export async function deployFeed(fixture: EvmFixture, decimals: number, answer: bigint): Promise<TestFeed> {
  const address = await fixture.deploy(mockV3Aggregator, [decimals, answer])
  return {
    address,
    setRound: ({ roundId, answer, updatedAt, startedAt }) => send(fixture, address, mockV3Aggregator.abi, 'updateRoundData', [roundId, answer, updatedAt, startedAt ?? updatedAt]),
  }
}
