import { getAddress } from 'viem'
import type { KeeperRoleDifference } from '../../app/keeper/checkKeeper.js'
import type { KeeperNeeds, KeeperPermissionsPlan } from '../../app/keeper/planKeeperPermissions.js'
import type { RolesState } from '../../app/keeper/readKeeperChainState.js'

/** The Safe Transaction Builder version the batch file says it was made for; the app reads older and newer files alike. */
const TX_BUILDER_VERSION = '1.18.0'

/** The role as people read it: `"dust-keeper" (0x6475…)`, or its bare key. */
function roleWords(needs: KeeperNeeds): string {
  return needs.role.name === undefined ? needs.role.key : `"${needs.role.name}" (${needs.role.key})`
}

/** The lines every keeper command starts with: the role, the chain, the keeper, the Safe and the modifier. */
function header(needs: KeeperNeeds, chainLine: string): string[] {
  return [
    `Keeper role ${roleWords(needs)} on ${needs.chain.name} (chain ${needs.chain.id})`,
    `  keeper    ${needs.keeper}`,
    `  Safe      ${needs.safe}`,
    `  modifier  ${needs.rolesModifier}`,
    `  ${chainLine}`,
  ]
}

/** A difference as one line: `[danger]` when the chain allows more than the configuration needs. */
function differenceLine(difference: KeeperRoleDifference): string {
  return `  ${difference.danger ? '[danger] ' : '[differs]'} ${difference.words}`
}

/** A difference as `--json` prints it: snake_case keys, absent fields left out. */
function differenceJson(difference: KeeperRoleDifference): Record<string, unknown> {
  return {
    code: difference.code,
    danger: difference.danger,
    words: difference.words,
    ...(difference.target === undefined ? {} : { target: getAddress(difference.target) }),
    ...(difference.selector === undefined ? {} : { selector: difference.selector }),
    ...(difference.member === undefined ? {} : { member: getAddress(difference.member) }),
    ...(difference.module === undefined ? {} : { module: getAddress(difference.module) }),
    ...(difference.roleKey === undefined ? {} : { role_key: difference.roleKey }),
  }
}

/** The data's size in bytes. */
function bytesOf(data: string): number {
  return (data.length - 2) / 2
}

/** Renders `dust keeper permissions` for review: the role, its permissions, each modifier call in words, then the Safe transaction and its hash. */
export function renderKeeperPermissions(plan: KeeperPermissionsPlan, state: RolesState | undefined): string {
  const { needs, calls, transaction } = plan
  const read =
    state === undefined
      ? 'planned from an empty role on a modifier assumed enabled on the Safe (--assume-empty): the chain was not read'
      : `read at block ${state.block} (the role's history from block ${state.fromBlock}); the modifier is ${state.rolesEnabled ? 'enabled' : 'NOT enabled'} on the Safe`
  const lines = [...header(needs, read), '', 'Permissions the role must hold:', ...plan.review.map((line) => `  ${line}`), '']
  if (transaction === undefined) {
    lines.push('The role on chain already matches the configuration: no transaction to sign.')
  } else {
    const { fields, safeTxHash } = transaction
    lines.push(`Calls the Safe makes (${calls.length}):`, ...calls.map((call, index) => `  ${index + 1}. ${call.description}`), '')
    lines.push(
      `Safe transaction for the Safe ${needs.safe} to sign and execute:`,
      `  to          ${fields.to}${fields.operation === 1 ? ' (MultiSendCallOnly)' : ''}`,
      `  operation   ${fields.operation} (${fields.operation === 1 ? 'DELEGATECALL' : 'CALL'})`,
      `  value       ${fields.value}`,
      `  data        ${bytesOf(fields.data)} bytes`,
      `  nonce       ${fields.nonce}`,
      '  safeTxGas, baseGas, gasPrice 0; gasToken and refundReceiver the zero address (no refund)',
      `  safeTxHash  ${safeTxHash}`,
      'Check that the hash your wallet shows is this one before signing; --json gives the data and a Transaction Builder batch.',
    )
  }
  if (plan.unresolved.length > 0) {
    lines.push('', 'Not changed by this transaction (fix by hand):', ...plan.unresolved.map(differenceLine))
  }
  return lines.join('\n')
}

/** Serializes `dust keeper permissions --json`: the plan, the Safe transaction with every field and its hash, and a Safe{Wallet} Transaction Builder batch; `createdAt` in milliseconds. */
export function serializeKeeperPermissions(plan: KeeperPermissionsPlan, state: RolesState | undefined, createdAt: number): Record<string, unknown> {
  const { needs, calls, transaction } = plan
  const name = needs.role.name ?? needs.role.key
  return {
    chain_id: needs.chain.id,
    chain: needs.chain.name,
    safe: needs.safe,
    roles_modifier: needs.rolesModifier,
    role: { name: needs.role.name ?? null, key: needs.role.key },
    keeper: needs.keeper,
    read_at_block: state === undefined ? null : state.block.toString(),
    assumed_empty: plan.assumedEmpty,
    matches: transaction === undefined,
    review: plan.review,
    calls: calls.map((call) => ({ to: call.to, value: call.value.toString(), data: call.data, description: call.description })),
    safe_transaction:
      transaction === undefined
        ? null
        : {
            to: transaction.fields.to,
            value: transaction.fields.value.toString(),
            data: transaction.fields.data,
            operation: transaction.fields.operation,
            safe_tx_gas: transaction.fields.safeTxGas.toString(),
            base_gas: transaction.fields.baseGas.toString(),
            gas_price: transaction.fields.gasPrice.toString(),
            gas_token: transaction.fields.gasToken,
            refund_receiver: transaction.fields.refundReceiver,
            nonce: transaction.fields.nonce.toString(),
            safe_tx_hash: transaction.safeTxHash,
          },
    transaction_builder:
      transaction === undefined
        ? null
        : {
            version: '1.0',
            chainId: String(needs.chain.id),
            createdAt,
            meta: {
              name: `dust keeper role ${name}`,
              description: `Sets the Zodiac Roles role ${roleWords(needs)} on ${needs.rolesModifier} to what the configuration needs: ${calls.length} call${calls.length === 1 ? '' : 's'}, keeper ${needs.keeper}.`,
              txBuilderVersion: TX_BUILDER_VERSION,
              createdFromSafeAddress: needs.safe,
              createdFromOwnerAddress: '',
            },
            transactions: calls.map((call) => ({ to: call.to, value: call.value.toString(), data: call.data })),
          },
    other_differences: plan.unresolved.map(differenceJson),
  }
}

/** What `dust keeper check` reports: the needs, the state read and the differences. */
export type KeeperCheckReport = { needs: KeeperNeeds; state: RolesState; differences: readonly KeeperRoleDifference[] }

/** Renders `dust keeper check`: each difference, dangerous ones marked, and a summary line. */
export function renderKeeperCheck(report: KeeperCheckReport): string {
  const { needs, state, differences } = report
  const lines = header(needs, `read at block ${state.block} (the role's history from block ${state.fromBlock})`)
  lines.push('')
  if (differences.length === 0) {
    lines.push('No difference: the chain holds exactly the role the configuration needs.')
    return lines.join('\n')
  }
  const dangerous = differences.filter((difference) => difference.danger).length
  lines.push(
    ...differences.map(differenceLine),
    '',
    `${differences.length} difference${differences.length === 1 ? '' : 's'} (${dangerous} dangerous): the chain does not hold the role the configuration needs. \`dust keeper permissions\` writes the Safe transaction that puts the role right.`,
  )
  return lines.join('\n')
}

/** Serializes `dust keeper check --json`: `ok` when there is no difference, and each difference with its code. */
export function serializeKeeperCheck(report: KeeperCheckReport): Record<string, unknown> {
  const { needs, state, differences } = report
  return {
    ok: differences.length === 0,
    chain_id: needs.chain.id,
    chain: needs.chain.name,
    safe: needs.safe,
    roles_modifier: needs.rolesModifier,
    role: { name: needs.role.name ?? null, key: needs.role.key },
    keeper: needs.keeper,
    read_at_block: state.block.toString(),
    differences: differences.map(differenceJson),
  }
}
