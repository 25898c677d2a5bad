import {
  type Abi,
  type Account,
  type Address,
  BaseError as ViemBaseError,
  ContractFunctionRevertedError,
  type Hex,
  type LocalAccount,
  type WalletClient,
  createWalletClient,
  encodeFunctionData,
  http,
  keccak256,
} from 'viem'
import { Amount, type Currency } from '../../domain/money/index.js'
import type { StepReceipt } from '../../ports/index.js'
import type { EvmChain } from './createEvmChains.js'

/** One contract call to send. */
export type EvmTransaction = {
  readonly address: Address
  readonly abi: Abi
  readonly functionName: string
  readonly args: readonly unknown[]
}

/** A sent transaction's end: mined with success, or why it was not sent or reverted. */
export type EvmTransactionResult =
  | { readonly ok: true; readonly hash: Hex; readonly gasUsed: bigint; readonly gasCost: Amount }
  | { readonly ok: false; readonly reason: 'simulation_failed' | 'reverted' | 'send_failed'; readonly detail: string; readonly retryable: boolean; readonly hash?: Hex }

/** Sends transactions on one chain from one account, each simulated first. */
export type EvmTransactor = {
  readonly chain: EvmChain
  readonly account: Address
  /**
   * Simulates the call (`eth_call`), estimates its gas, signs it, tells `onSigned` its hash
   * (to persist before anything leaves), sends it and waits for its receipt. Nothing is sent
   * when the simulation fails or `onSigned` throws.
   */
  send(transaction: EvmTransaction, onSigned?: (hash: Hex) => Promise<void>): Promise<EvmTransactionResult>
  /** What became of a transaction signed earlier (after a restart): mined with success, reverted, still pending, or unknown to the node. */
  lookup(hash: Hex): Promise<'confirmed' | 'failed' | 'pending' | 'unknown'>
  /** A step receipt for a mined transaction. */
  receipt(kind: StepReceipt['kind'], venue: string, result: Extract<EvmTransactionResult, { ok: true }>): StepReceipt
}

export type CreateEvmTransactorParameters = {
  chain: EvmChain
  /** The signer; its key never leaves viem's local account. */
  account: LocalAccount
  /** The chain's native coin, in which gas is paid. */
  native: Currency
  /** Gas limit headroom over the estimate, in percent (default 20). */
  gasHeadroomPercent?: number
  /** How long to wait for a receipt, in milliseconds (default 120,000). */
  receiptTimeoutMs?: number
}

/** The revert reason of a failed call, in words (`Too little received`), or viem's short message. */
export function revertReason(error: unknown): string {
  if (error instanceof ViemBaseError) {
    const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError)
    if (reverted instanceof ContractFunctionRevertedError) {
      return reverted.reason ?? reverted.data?.errorName ?? reverted.signature ?? 'reverted without a reason'
    }
    return error.shortMessage
  }
  return error instanceof Error ? error.message : String(error)
}

/**
 * Creates the transaction sender of one chain and account.
 *
 * Every transaction is first run with `eth_call` against the latest state; a call that would
 * revert is reported with its reason and never sent. The gas limit is the node's
 * `eth_estimateGas` plus headroom. A receipt with status `reverted` becomes a failure with
 * the reason the call gives when simulated again.
 */
export function createEvmTransactor(parameters: CreateEvmTransactorParameters): EvmTransactor {
  const { chain, account, native } = parameters
  const headroom = BigInt(100 + (parameters.gasHeadroomPercent ?? 20))
  const wallet: WalletClient = createWalletClient({
    account,
    chain: chain.client.chain,
    transport: http(chain.client.transport.url as string | undefined, { retryCount: 0, timeout: 30_000 }),
  })
  const client = chain.client

  const simulate = async (transaction: EvmTransaction) => {
    await client.simulateContract({ ...transaction, account: account as Account } as never)
  }

  return {
    chain,
    account: account.address,
    async send(transaction, onSigned) {
      const label = `${transaction.functionName} on ${transaction.address}`
      let gas: bigint
      try {
        await simulate(transaction)
        gas = await client.estimateContractGas({ ...transaction, account: account as Account } as never)
      } catch (error) {
        return { ok: false, reason: 'simulation_failed', detail: `${label} would fail on ${chain.name}: ${revertReason(error)}. Nothing was sent.`, retryable: false }
      }
      let hash: Hex
      let signed: Hex
      try {
        const request = await wallet.prepareTransactionRequest({
          account,
          chain: client.chain,
          to: transaction.address,
          data: encodeFunctionData({ abi: transaction.abi, functionName: transaction.functionName, args: transaction.args } as never),
          gas: (gas * headroom) / 100n,
        } as never)
        signed = await wallet.signTransaction(request as never)
        hash = keccak256(signed)
      } catch (error) {
        return { ok: false, reason: 'send_failed', detail: `${label} could not be signed on ${chain.name}: ${revertReason(error)}. Nothing was sent.`, retryable: true }
      }
      // The hash is known before the transaction leaves: whoever records it can find it after a crash.
      if (onSigned) await onSigned(hash)
      try {
        await wallet.sendRawTransaction({ serializedTransaction: signed })
      } catch (error) {
        return { ok: false, reason: 'send_failed', detail: `${label} (${hash}) could not be sent on ${chain.name}: ${revertReason(error)}.`, retryable: true, hash }
      }
      let receipt
      try {
        receipt = await client.waitForTransactionReceipt({ hash, timeout: parameters.receiptTimeoutMs ?? 120_000, pollingInterval: 50 })
      } catch (error) {
        return { ok: false, reason: 'send_failed', detail: `${label} (${hash}) was sent but no receipt came: ${revertReason(error)}.`, retryable: false, hash }
      }
      if (receipt.status !== 'success') {
        let why = 'the call no longer reverts when simulated'
        try {
          await simulate(transaction)
        } catch (error) {
          why = revertReason(error)
        }
        return { ok: false, reason: 'reverted', detail: `${label} (${hash}) reverted on ${chain.name} in block ${receipt.blockNumber}: ${why}.`, retryable: false, hash }
      }
      return { ok: true, hash, gasUsed: receipt.gasUsed, gasCost: Amount.fromRaw(native, receipt.gasUsed * receipt.effectiveGasPrice) }
    },
    receipt: (kind, venue, result) => ({ kind, venue, reference: result.hash, gasUsed: result.gasUsed, gasCost: result.gasCost }),
    async lookup(hash) {
      const receipt = await client.getTransactionReceipt({ hash }).catch(() => undefined)
      if (receipt) return receipt.status === 'success' ? 'confirmed' : 'failed'
      const pending = await client.getTransaction({ hash }).catch(() => undefined)
      return pending ? 'pending' : 'unknown'
    },
  }
}
