import { type Address, type Hex, concatHex, parseEventLogs } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { BaseError } from '../../errors/index.js'
import { type SafeCall, buildSafeTransaction } from '../zodiac/buildSafeTransaction.js'
import { safeTransactionTypedData } from '../zodiac/safeTransactionTypedData.js'
import { safeAbi } from '../zodiac/zodiacAbis.js'
import type { LocalDeployer } from './createLocalDeployer.js'

export type ExecSafeTransactionParameters = {
  /** Sends `execTransaction` and pays its gas; need not be an owner. */
  readonly deployer: LocalDeployer
  readonly safe: Address
  /** The keys of the owners who sign: at least the Safe's threshold of them. */
  readonly ownerKeys: readonly Hex[]
  /** The calls the Safe makes, in order: one is a plain call, several a MultiSendCallOnly batch. */
  readonly calls: readonly SafeCall[]
  readonly multiSend: Address
}

/** The revert reason viem found for a failed call (`GS013`...), or its short message. */
function reasonOf(error: unknown): string {
  let current: unknown = error
  for (let depth = 0; depth < 16 && typeof current === 'object' && current !== null; depth += 1) {
    const reason: unknown = Reflect.get(current, 'reason')
    if (typeof reason === 'string' && reason !== '') return reason
    current = Reflect.get(current, 'cause')
  }
  const shortMessage: unknown = typeof error === 'object' && error !== null ? Reflect.get(error, 'shortMessage') : undefined
  return typeof shortMessage === 'string' ? shortMessage : String(error)
}

/**
 * Executes calls from a Safe: signs the Safe transaction with each owner key and sends `execTransaction`.
 *
 * Reads the Safe's nonce, builds the transaction (`buildSafeTransaction`), signs its EIP-712 hash
 * with every key (signatures ordered by owner address, as the Safe requires, each `r, s, v`),
 * sends it from the deployer and waits for the receipt. Throws when the Safe refuses it (a `GS…`
 * reason), when it reverts, or when the Safe reports `ExecutionFailure`. Returns the transaction hash.
 */
export async function execSafeTransaction(parameters: ExecSafeTransactionParameters): Promise<Hex> {
  const { deployer, safe } = parameters
  const chainId = await deployer.client.getChainId()
  const nonce = await deployer.client.readContract({ address: safe, abi: safeAbi, functionName: 'nonce' })
  const transaction = buildSafeTransaction({ calls: parameters.calls, nonce, multiSend: parameters.multiSend })
  const typedData = safeTransactionTypedData({ safe, chainId, transaction })
  const owners = parameters.ownerKeys.map((key) => privateKeyToAccount(key)).sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1))
  const signatures = concatHex(await Promise.all(owners.map((owner) => owner.signTypedData(typedData))))
  const what = `Safe ${safe} transaction ${nonce} (${parameters.calls.length} call${parameters.calls.length === 1 ? '' : 's'})`
  let hash: Hex
  try {
    hash = await deployer.wallet.writeContract({
      chain: deployer.client.chain,
      account: deployer.wallet.account ?? deployer.address,
      address: safe,
      abi: safeAbi,
      functionName: 'execTransaction',
      args: [
        transaction.to,
        transaction.value,
        transaction.data,
        transaction.operation,
        transaction.safeTxGas,
        transaction.baseGas,
        transaction.gasPrice,
        transaction.gasToken,
        transaction.refundReceiver,
        signatures,
      ],
    })
  } catch (error) {
    throw new BaseError(`The ${what} was refused before it was sent: ${reasonOf(error)}.`, { cause: error })
  }
  const receipt = await deployer.client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
  if (receipt.status !== 'success') throw new BaseError(`The ${what} reverted in ${hash}.`)
  const failed = parseEventLogs({ abi: safeAbi, logs: receipt.logs, eventName: 'ExecutionFailure' }).some((log) => log.address.toLowerCase() === safe.toLowerCase())
  if (failed) throw new BaseError(`The ${what} was mined in ${hash}, but the Safe reported ExecutionFailure: its call failed.`)
  return hash
}
