import {
  type Abi,
  type Address,
  type ContractFunctionArgs,
  type ContractFunctionName,
  type ContractFunctionParameters,
  BaseError as ViemBaseError,
  ContractFunctionRevertedError,
  type Hex,
  HttpRequestError,
  type LocalAccount,
  type TransactionReceipt,
  TimeoutError,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type WalletClient,
  createWalletClient,
  encodeFunctionData,
  erc20Abi,
  getAddress,
  http,
  keccak256,
  parseEventLogs,
} from 'viem'
import { Amount, type Currency } from '../../domain/money/index.js'
import { redactUrls } from '../../errors/index.js'
import { OUTCOME_UNKNOWN } from '../../domain/planning/StepReceipt.js'
import type { Logger, SignedTransaction, StepLookup, StepReceipt } from '../../ports/index.js'
import { decodeRolesRevert } from '../zodiac/decodeRolesRevert.js'
import { rolesModifierAbi } from '../zodiac/zodiacAbis.js'
import type { EvmChain } from './createEvmChains.js'

/** The state mutability of the functions a transaction calls. */
type Writable = 'nonpayable' | 'payable'

/**
 * One contract call to send: an `as const` ABI, one of its writing functions and that
 * function's arguments, which viem types from the ABI (as in `writeContract`).
 */
export type EvmTransaction<
  abi extends Abi = Abi,
  functionName extends ContractFunctionName<abi, Writable> = ContractFunctionName<abi, Writable>,
  args extends ContractFunctionArgs<abi, Writable, functionName> = ContractFunctionArgs<abi, Writable, functionName>,
> = ContractFunctionParameters<abi, Writable, functionName, args>

/** A transaction as the transactor handles it once its types are checked: any ABI, any function. */
type UntypedTransaction = { readonly address: Address; readonly abi: Abi; readonly functionName: string; readonly args: readonly unknown[] }

/** A sent transaction's end: mined with success, or why it was not sent or reverted. */
export type EvmTransactionResult =
  | {
      readonly ok: true
      readonly hash: Hex
      /** The block it was mined in. */
      readonly block: bigint
      readonly gasUsed: bigint
      readonly gasCost: Amount
      /** Where a transaction sent with `mempool: 'private'` went, on a chain with a private endpoint (see `StepReceipt.broadcast`). */
      readonly broadcast?: 'private' | 'public_fallback' | undefined
    }
  | {
      readonly ok: false
      /** `permission_refused`: the keeper's role on the Roles modifier does not allow the call (see `CreateEvmTransactorParameters.via`). */
      readonly reason: 'simulation_failed' | 'reverted' | 'send_failed' | 'permission_refused' | typeof OUTCOME_UNKNOWN
      readonly detail: string
      readonly retryable: boolean
      readonly hash?: Hex
    }

/** A transaction signed before a restart, as recovery asks about it. */
export type EvmTransactionQuery = {
  readonly hash: Hex
  /** The step it carried out, and its venue, for the receipt. */
  readonly kind: StepReceipt['kind']
  readonly venue: string
  /** How it was signed, when the log recorded it: without it a transaction the node does not know cannot be told replaced. */
  readonly signed?: SignedTransaction | undefined
  /** The token a swap sold and the one it bought: their transfers from and to the account in the receipt are what it took and gave. */
  readonly tokenIn?: Currency | undefined
  readonly tokenOut?: Currency | undefined
}

/** How a transaction is broadcast. */
export type EvmSendOptions = {
  /**
   * `private` sends the signed transaction to the chain's `private_rpc_url`, when it has one,
   * instead of its public RPC (a swap, which a public mempool exposes to sandwiches); its
   * `private_rpc_fallback` says what happens when that endpoint fails. Default `public`.
   */
  readonly mempool?: 'public' | 'private' | undefined
}

/** Sends transactions on one chain from one account, each simulated first. */
export type EvmTransactor = {
  readonly chain: EvmChain
  /** The account whose funds the calls move and to which claims and swaps pay: the signer's, or the Safe a keeper acts for. */
  readonly account: Address
  /**
   * Simulates the call (`eth_call`), estimates its gas, signs it, tells `onSigned` its hash,
   * nonce and the last block before signing (to persist before anything leaves), sends it and
   * waits for its receipt. Nothing is sent when the simulation fails or `onSigned` throws.
   * Only the broadcast goes to the private endpoint when `options.mempool` asks for it: every
   * read, estimate and receipt poll stays on the public RPC.
   */
  send<const abi extends Abi, functionName extends ContractFunctionName<abi, Writable>, const args extends ContractFunctionArgs<abi, Writable, functionName>>(
    transaction: EvmTransaction<abi, functionName, args>,
    onSigned?: (hash: Hex, signed: SignedTransaction) => Promise<void>,
    options?: EvmSendOptions,
  ): Promise<EvmTransactionResult>
  /**
   * What became of a transaction signed earlier (after a restart), as the node answers: mined
   * (`confirmed` or `failed`, with its gas, and for a swap what the receipt's ERC-20 transfers
   * show it took and gave), `pending`, `not_found` (no receipt, no transaction, its nonce still
   * free), `replaced` (its nonce used by another transaction, found by searching the blocks
   * since it was signed), or `lookup_failed` when the node does not answer. Never throws.
   */
  lookup(query: EvmTransactionQuery): Promise<StepLookup>
  /** A step receipt for a mined transaction. */
  receipt(kind: StepReceipt['kind'], venue: string, result: Extract<EvmTransactionResult, { ok: true }>): StepReceipt
}

/**
 * A keeper acting through a Zodiac Roles modifier (v2) on a Safe: each call is sent as
 * `execTransactionWithRole(to, 0, data, Call, roleKey, true)` from the signer, and the Safe executes it.
 */
export type RolesExecution = {
  readonly type: 'roles'
  /** The Safe: the modifier's avatar, which holds the funds and makes the call. */
  readonly safe: Address
  readonly roles: Address
  readonly roleKey: Hex
  /** The role as the configuration names it, for messages. */
  readonly roleName: string
}

export type CreateEvmTransactorParameters = {
  chain: EvmChain
  /** The signer; its key never leaves viem's local account. */
  account: LocalAccount
  /** Sends through a Safe's Roles modifier instead of from the signer's own account. */
  via?: RolesExecution | undefined
  /** The chain's native coin, in which gas is paid. */
  native: Currency
  /** Gas limit headroom over the estimate, in percent (default 20). */
  gasHeadroomPercent?: number
  /** How long to wait for a receipt, in milliseconds (default 120,000). */
  receiptTimeoutMs?: number
  /** Told (warn) when a swap meant for the private endpoint goes to the public mempool instead; quiet without one. */
  logger?: Logger | undefined
}

/** The revert reason of a failed call, in words (`Too little received`), or viem's short message. */
export function revertReason(error: unknown): string {
  if (error instanceof ViemBaseError) {
    const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError)
    if (reverted instanceof ContractFunctionRevertedError) {
      // `require(ok)` and `revert("")` give an empty reason, and Error(string) is only its carrier's name.
      if (reverted.reason) return reverted.reason
      const errorName = reverted.data?.errorName
      if (errorName !== undefined && errorName !== 'Error') return errorName
      return reverted.signature ?? 'reverted without a reason'
    }
    return error.shortMessage
  }
  return error instanceof Error ? error.message : String(error)
}

/** The URL of the chain's HTTP transport, for the wallet that sends (`undefined` lets viem use the chain's default). */
function rpcUrlOf(chain: EvmChain): string | undefined {
  const url: unknown = chain.client.transport.url
  return typeof url === 'string' ? url : undefined
}

/** Tells whether an error means the node gave no answer (a transport failure, a timeout, an HTTP error status) rather than an answer. */
function isNoAnswer(error: unknown): boolean {
  if (!(error instanceof ViemBaseError)) return true
  return error.walk((cause) => cause instanceof HttpRequestError || cause instanceof TimeoutError) !== null
}

/**
 * Tells whether an error shows a request never taken: the endpoint answered with an HTTP error
 * status, or refused the connection. A timeout or a connection cut mid-way may have delivered it.
 */
function isRefused(error: unknown): boolean {
  if (!(error instanceof ViemBaseError)) return false
  const http = error.walk((cause) => cause instanceof HttpRequestError)
  if (http instanceof HttpRequestError && http.status !== undefined) return true
  let cause: unknown = error
  for (let depth = 0; depth < 8 && typeof cause === 'object' && cause !== null; depth += 1) {
    if ('code' in cause && cause.code === 'ECONNREFUSED') return true
    cause = 'cause' in cause ? cause.cause : undefined
  }
  return false
}

/** Why the private endpoint did not take a transaction, in words that never quote the endpoint (its whole URL is a secret). */
function describePrivateFailure(error: unknown): string {
  if (error instanceof ViemBaseError) {
    const http = error.walk((cause) => cause instanceof HttpRequestError)
    if (http instanceof HttpRequestError && http.status !== undefined) return `it answered HTTP ${http.status}`
    if (isRefused(error)) return 'it refused the connection'
    if (error.walk((cause) => cause instanceof TimeoutError) !== null) return 'it did not answer in time'
    if (http !== null) return 'the connection failed before an answer came'
    return `it answered with an error: ${redactUrls(error.shortMessage)}`
  }
  return 'it failed without an answer'
}

/** Why a node did not answer, in words, without its endpoint (RPC URLs carry credentials). */
function describeNoAnswer(error: unknown): string {
  if (!(error instanceof ViemBaseError)) return redactUrls(error instanceof Error ? error.message : String(error))
  const http = error.walk((cause) => cause instanceof HttpRequestError)
  const status = http instanceof HttpRequestError && http.status !== undefined ? ` (HTTP ${http.status})` : ''
  const details = error.details && error.details !== error.shortMessage ? ` (${error.details.slice(0, 200)})` : ''
  return redactUrls(`${error.shortMessage.replace(/\.$/, '')}${status}${details}`)
}

/** Answers `undefined` when a viem lookup says the node has no such thing, and rethrows anything else. */
function absentAs<T>(type: abstract new (...args: never[]) => Error): (error: unknown) => T | undefined {
  return (error) => {
    if (error instanceof type) return undefined
    throw error
  }
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
    transport: http(rpcUrlOf(chain), { retryCount: 0, timeout: 30_000 }),
  })
  const client = chain.client
  // Only raw transactions go there; its requests are never counted with the public node's.
  const privateRpc = chain.privateRpc
  const privateWallet: WalletClient | undefined = privateRpc && createWalletClient({ account, chain: client.chain, transport: http(privateRpc.url, { retryCount: 0, timeout: 30_000 }) })

  const via = parameters.via
  // The account the calls act for: the Safe when a keeper sends through its Roles modifier.
  const holder = via ? getAddress(via.safe) : account.address
  /** What is signed and sent: the call itself, or the call wrapped for the Roles modifier. */
  const outerOf = (transaction: UntypedTransaction): UntypedTransaction =>
    via
      ? {
          address: via.roles,
          abi: rolesModifierAbi,
          functionName: 'execTransactionWithRole',
          // Operation 0 (Call): a keeper never delegate-calls; shouldRevert so that a failed inner call fails the transaction.
          args: [transaction.address, 0n, encodeFunctionData(transaction), 0, via.roleKey, true],
        }
      : transaction
  /**
   * Simulates the call as it is sent. Through a Roles modifier a refusal is the role's, whatever
   * the call would do; a call the role allows that fails anyway is simulated again as the Safe
   * makes it, for the venue's own revert reason (the modifier reports only that it failed).
   */
  const simulate = async (transaction: UntypedTransaction): Promise<{ refused: string } | undefined> => {
    if (!via) {
      await client.simulateContract({ ...transaction, account })
      return undefined
    }
    try {
      await client.simulateContract({ ...outerOf(transaction), account })
      return undefined
    } catch (error) {
      const refusal = decodeRolesRevert(error)
      if (refusal) return { refused: refusal.words }
      await client.simulateContract({ ...transaction, account: holder })
      throw error
    }
  }
  const refusedDetail = (label: string, words: string) =>
    `${label} is not allowed to the keeper ${account.address} by the role ${via?.roleName ?? ''} of the Roles modifier ${via?.roles ?? ''} on the Safe ${holder}: ${words}`

  return {
    chain,
    account: holder,
    async send(typed, onSigned, options) {
      const abi: Abi = typed.abi
      const transaction: UntypedTransaction = { address: typed.address, abi, functionName: typed.functionName, args: Array.isArray(typed.args) ? typed.args : [] }
      const label = `${transaction.functionName} on ${transaction.address}`
      const outer = outerOf(transaction)
      let gas: bigint
      try {
        const refused = await simulate(transaction)
        if (refused) return { ok: false, reason: 'permission_refused', detail: `${refusedDetail(label, refused.refused)}. Nothing was sent.`, retryable: false }
        gas = await client.estimateContractGas({ ...outer, account })
      } catch (error) {
        return { ok: false, reason: 'simulation_failed', detail: `${label} would fail on ${chain.name}: ${revertReason(error)}. Nothing was sent.`, retryable: false }
      }
      let hash: Hex
      let signed: Hex
      let note: SignedTransaction
      try {
        // The last block before signing bounds where a transaction that takes this one's nonce can be.
        const block = await client.getBlockNumber({ cacheTime: 0 })
        const request = await wallet.prepareTransactionRequest({
          account,
          chain: client.chain,
          to: outer.address,
          data: encodeFunctionData(outer),
          gas: (gas * headroom) / 100n,
        })
        signed = await wallet.signTransaction({ ...request, chain: client.chain })
        hash = keccak256(signed)
        note = { from: account.address, nonce: request.nonce, block }
      } catch (error) {
        return { ok: false, reason: 'send_failed', detail: `${label} could not be signed on ${chain.name}: ${revertReason(error)}. Nothing was sent.`, retryable: true }
      }
      // The hash and nonce are known before the transaction leaves: whoever records them can find it after a crash.
      if (onSigned) await onSigned(hash, note)
      // From here the transaction may be on its way: a node that errs or goes silent has not said
      // it was dropped (a timed-out broadcast can still have reached the mempool), so the step is
      // left to recovery, which asks the chain for the receipt, the pending transaction or the nonce.
      let broadcast: 'private' | 'public_fallback' | undefined
      if (options?.mempool === 'private' && privateRpc && privateWallet) {
        try {
          await privateWallet.sendRawTransaction({ serializedTransaction: signed })
          broadcast = 'private'
        } catch (error) {
          const why = describePrivateFailure(error)
          if (privateRpc.fallback === 'never') {
            // Refused outright, it was never broadcast anywhere: its nonce stays free, and a later cycle sends it again.
            if (isRefused(error)) {
              return {
                ok: false,
                reason: 'send_failed',
                detail: `${label} (${hash}) was not taken by the private endpoint of ${chain.name} (${why}) and was not broadcast publicly (private_rpc_fallback: never); its nonce is still free and it is retried.`,
                retryable: true,
              }
            }
            return {
              ok: false,
              reason: OUTCOME_UNKNOWN,
              detail: `${label} (${hash}) may have reached the private endpoint of ${chain.name} (${why}); it was not broadcast publicly (private_rpc_fallback: never), and the chain is asked again before anything is decided.`,
              retryable: false,
              hash,
            }
          }
          // The same signed bytes: should the private endpoint have taken it after all, both are one transaction, one nonce.
          broadcast = 'public_fallback'
          parameters.logger?.warn(
            { chain: chain.name, hash },
            `The transaction ${label} (${hash}) is sent publicly: the private endpoint of ${chain.name} failed (${why}) and private_rpc_fallback is public.`,
          )
        }
      }
      try {
        if (broadcast !== 'private') await wallet.sendRawTransaction({ serializedTransaction: signed })
      } catch (error) {
        return {
          ok: false,
          reason: OUTCOME_UNKNOWN,
          detail: `${label} (${hash}) may not have reached ${chain.name}${broadcast === 'public_fallback' ? ', sent publicly after its private endpoint failed (private_rpc_fallback: public)' : ''}: ${revertReason(error)}; the chain is asked again before anything is decided.`,
          retryable: false,
          hash,
        }
      }
      let receipt: TransactionReceipt
      try {
        receipt = await client.waitForTransactionReceipt({ hash, timeout: parameters.receiptTimeoutMs ?? 120_000, pollingInterval: 50 })
      } catch (error) {
        return {
          ok: false,
          reason: OUTCOME_UNKNOWN,
          detail: `${label} (${hash}) was sent but no receipt came: ${revertReason(error)}; the chain is asked again before anything is decided.`,
          retryable: false,
          hash,
        }
      }
      if (receipt.status !== 'success') {
        let why = 'the call no longer reverts when simulated'
        try {
          const refused = await simulate(transaction)
          // The role changed between the simulation and the block: still the role's refusal, not the venue's failure.
          if (refused)
            return { ok: false, reason: 'permission_refused', detail: `${refusedDetail(`${label} (${hash})`, refused.refused)}; it reverted in block ${receipt.blockNumber}.`, retryable: false, hash }
        } catch (error) {
          why = revertReason(error)
        }
        return { ok: false, reason: 'reverted', detail: `${label} (${hash}) reverted on ${chain.name} in block ${receipt.blockNumber}: ${why}.`, retryable: false, hash }
      }
      return {
        ok: true,
        hash,
        block: receipt.blockNumber,
        gasUsed: receipt.gasUsed,
        gasCost: Amount.fromRaw(native, receipt.gasUsed * receipt.effectiveGasPrice),
        ...(broadcast === undefined ? {} : { broadcast }),
      }
    },
    receipt: (kind, venue, result) => ({
      kind,
      venue,
      reference: result.hash,
      block: result.block,
      gasUsed: result.gasUsed,
      gasCost: result.gasCost,
      ...(result.broadcast === undefined ? {} : { broadcast: result.broadcast }),
    }),
    async lookup(query) {
      const { hash } = query
      const what = `The ${query.kind} ${hash} on ${chain.name}`
      const mined = (receipt: TransactionReceipt): StepLookup => {
        const stepReceipt: StepReceipt = {
          kind: query.kind,
          venue: query.venue,
          reference: hash,
          block: receipt.blockNumber,
          gasUsed: receipt.gasUsed,
          gasCost: Amount.fromRaw(native, receipt.gasUsed * receipt.effectiveGasPrice),
        }
        if (receipt.status !== 'success') {
          return { status: 'failed', reason: 'reverted', detail: `${what} reverted in block ${receipt.blockNumber}, as the node answered after a restart.`, receipt: stepReceipt }
        }
        const transfers = parseEventLogs({ abi: erc20Abi, eventName: 'Transfer', logs: receipt.logs })
        const moved = (token: Currency | undefined, side: 'from' | 'to'): Amount | undefined => {
          const address = token?.address?.toLowerCase()
          if (!token || address === undefined) return undefined
          const matching = transfers.filter((log) => log.address.toLowerCase() === address && log.args[side].toLowerCase() === holder.toLowerCase())
          return matching.length === 0
            ? undefined
            : Amount.fromRaw(
                token,
                matching.reduce((sum, log) => sum + log.args.value, 0n),
              )
        }
        return { status: 'confirmed', receipt: stepReceipt, amountIn: moved(query.tokenIn, 'from'), amountOut: moved(query.tokenOut, 'to') }
      }
      try {
        const receipt = await client.getTransactionReceipt({ hash }).catch(absentAs<TransactionReceipt>(TransactionReceiptNotFoundError))
        if (receipt) return mined(receipt)
        const transaction = await client.getTransaction({ hash }).catch(absentAs(TransactionNotFoundError))
        if (transaction) return { status: 'pending', detail: `${what} is known to the node and not mined yet.` }
        if (!query.signed) {
          return { status: 'not_found', detail: `${what} has no receipt and the node does not know it; the log has no nonce for it (it was recorded before nonces were).` }
        }
        const { from, nonce, block } = query.signed
        const used = await client.getTransactionCount({ address: from, blockTag: 'latest' })
        if (nonce >= used) {
          // A private endpoint keeps its transactions out of the public mempool until they are mined.
          const unseen =
            privateRpc && query.kind === 'swap'
              ? ' A swap sent to the private endpoint stays invisible until it is mined: should it be mined later, only one transaction with that nonce can ever be, this one or whatever is sent in its place.'
              : ''
          return {
            status: 'not_found',
            detail: `${what} has no receipt, the node does not know it, and its nonce ${nonce} is still free (${from} has ${used} transactions mined): it was never broadcast, or was dropped; nothing of it was executed.${unseen}`,
          }
        }
        // The nonce was used by a transaction the node knows, and it is not ours: find it in the blocks since ours was signed.
        let replacedBy: Hex | undefined
        let search = ''
        try {
          const countAt = (blockNumber: bigint) => client.getTransactionCount({ address: from, blockNumber })
          let low = (await countAt(block)) <= nonce ? block : -1n
          let high = await client.getBlockNumber({ cacheTime: 0 })
          while (high - low > 1n) {
            const middle = low + (high - low) / 2n
            if ((await countAt(middle)) > nonce) high = middle
            else low = middle
          }
          const { transactions } = await client.getBlock({ blockNumber: high, includeTransactions: true })
          replacedBy = transactions.find((candidate) => candidate.from.toLowerCase() === from.toLowerCase() && candidate.nonce === nonce)?.hash
          search = replacedBy === undefined ? `; no transaction of ${from} with that nonce is in block ${high}, where the node counts it used` : ` in block ${high}`
        } catch (error) {
          if (isNoAnswer(error)) throw error
          // An answer that is not the state asked for (a node without the history of old blocks): the nonce is used all the same.
          search = `; the transaction that used it could not be found: ${describeNoAnswer(error)}`
        }
        // Our transaction mined between the questions: it is its own "replacement".
        if (replacedBy?.toLowerCase() === hash.toLowerCase()) return mined(await client.getTransactionReceipt({ hash }))
        return {
          status: 'replaced',
          replacedBy,
          detail: `${what} was never mined: its nonce ${nonce} was used by ${replacedBy ?? 'another transaction'}${search}; nothing of it was executed.`,
        }
      } catch (error) {
        return { status: 'lookup_failed', error: `The ${chain.name} node did not answer about ${hash}: ${describeNoAnswer(error)}` }
      }
    },
  }
}
