import { type Address, type Hex, type PublicClient, getAddress, zeroAddress } from 'viem'
import { Clearance, type Condition, ExecutionOptions, type Function as RoleFunction, type Operator, type ParameterType, type Role, type Target } from 'zodiac-roles-sdk'
import { SourceError, shortMessageOf } from '../../errors/index.js'
import { isRangeRefusal } from '../evm/scanTransferLogs.js'
import { lowerHex } from './lowerHex.js'
import { executionOptionsOf, operatorOf, parameterTypeOf } from './roleEnums.js'
import { rolesModifierAbi, safeAbi } from './zodiacAbis.js'

/** The Safe's marker for the start and end of its module list. */
const SENTINEL = '0x0000000000000000000000000000000000000001'
const ZERO_KEY = `0x${'0'.repeat(64)}` as const
/** Modules read per `getModulesPaginated` call; a Safe with more is read page by page. */
const MODULE_PAGE = 50n
/** Pages read at most: a list that never ends is a broken Safe, not one with 5,000 modules. */
const MAX_MODULE_PAGES = 100
/** Blocks per `eth_getLogs` request unless the caller says otherwise; halved when the node refuses. */
const DEFAULT_BLOCK_RANGE = 10_000n

/** The events that change a role, its members or a module's default role, and the modifier's set-up, which comes before them all. */
const ROLE_EVENT_NAMES = ['RolesModSetup', 'AllowTarget', 'ScopeTarget', 'RevokeTarget', 'AllowFunction', 'ScopeFunction', 'RevokeFunction', 'AssignRoles', 'SetDefaultRole'] as const
type RoleEvent = Extract<(typeof rolesModifierAbi)[number], { type: 'event'; name: (typeof ROLE_EVENT_NAMES)[number] }>
const ROLE_EVENT_SET: ReadonlySet<string> = new Set<string>(ROLE_EVENT_NAMES)
const roleEvents = rolesModifierAbi.filter((item): item is RoleEvent => item.type === 'event' && ROLE_EVENT_SET.has(item.name))

/** One membership on the modifier: `member` may execute with `roleKey`. */
export type RoleMembership = { readonly member: Address; readonly roleKey: Hex }

/** A module's default role on the modifier: the role its `execTransactionFromModule` calls use. */
export type DefaultRole = { readonly module: Address; readonly roleKey: Hex }

/** What the chain says about a Safe, its Roles modifier and one role on it, at one block. */
export type RolesState = {
  readonly roles: Address
  readonly safe: Address
  /** The block every value was read at, and the last block whose logs were folded. */
  readonly block: bigint
  /** The first block whose logs were folded: changes before it are not in `role`, `memberships` or `defaultRoles`. */
  readonly fromBlock: bigint
  readonly modifier: { readonly avatar: Address; readonly target: Address; readonly owner: Address }
  readonly safeOwners: readonly Address[]
  readonly safeThreshold: bigint
  /** Whether the Safe has the Roles modifier enabled as a module. */
  readonly rolesEnabled: boolean
  /** Every module the Safe has enabled, the Roles modifier included when it is. */
  readonly safeModules: readonly Address[]
  /** The role `roleKey` rebuilt from the modifier's logs, in the shape `callsPlannedForApplyRole` takes as `current`. */
  readonly role: Role
  /** Every membership of every role on the modifier, in the order the members first joined. */
  readonly memberships: readonly RoleMembership[]
  /** Every module with a default role set (a zero key clears it and leaves it out). */
  readonly defaultRoles: readonly DefaultRole[]
  /** The role-changing logs folded. */
  readonly logs: number
  /**
   * The block where the modifier was set up (its `RolesModSetup` log), when it is at or after
   * `fromBlock`. Undefined when `fromBlock` is later: changes made before it are missing from
   * `role`, `memberships` and `defaultRoles`, so the state cannot be trusted to be whole.
   */
  readonly setUpBlock: bigint | undefined
}

/** What `readRolesState` reads: which Safe, modifier and role, and from which block. */
export type ReadRolesStateParameters = {
  client: PublicClient
  roles: Address
  safe: Address
  roleKey: Hex
  /** The first block to read the modifier's logs from: its deployment block, or earlier. */
  fromBlock: bigint
  /** The block to read at (default: the latest). */
  toBlock?: bigint | undefined
  /** Blocks per `eth_getLogs` request (default 10,000); halved, as often as needed, when the node refuses a range as too large. */
  blockRange?: bigint | undefined
  /** Chain name for messages (default: the client's chain name). */
  chain?: string | undefined
}

/** A role's target while it is folded: functions by selector, in the order they were first allowed. */
type TargetDraft = { clearance: Clearance; executionOptions: ExecutionOptions; functions: Map<Hex, RoleFunction> }

/**
 * Rebuilds a condition tree from the flat breadth-first array `scopeFunction` takes and
 * `ScopeFunction` records: each node names its parent's index, the root is its own parent.
 * Empty `compValue`s are left out, as the SDK's own reader (`fetchRole`) leaves them out.
 */
function conditionTree(flat: readonly { parent: number; paramType: number; operator: number; compValue: Hex }[], where: string, source: string): Condition {
  type Node = { paramType: ParameterType; operator: Operator; compValue?: Hex; children: Node[] }
  const nodes: Node[] = flat.map((item, index) => {
    const paramType = parameterTypeOf(item.paramType)
    const operator = operatorOf(item.operator)
    // A value Roles v2 does not define is no log of a Roles v2 modifier: refused, never guessed.
    if (paramType === undefined || operator === undefined) {
      throw new SourceError(source, `The ScopeFunction log of ${where} has condition ${index} with parameter type ${item.paramType} and operator ${item.operator}, which Roles v2 does not define.`)
    }
    return { paramType, operator, ...(item.compValue === '0x' ? {} : { compValue: lowerHex(item.compValue) }), children: [] }
  })
  const root = nodes[0]
  if (root === undefined || flat[0]?.parent !== 0) throw new SourceError(source, `The ScopeFunction log of ${where} has no root condition (a first condition that is its own parent).`)
  for (let index = 1; index < flat.length; index += 1) {
    const parent = flat[index]?.parent ?? index
    const node = nodes[index]
    const parentNode = nodes[parent]
    // The modifier's integrity check refuses conditions not in breadth-first order: a parent always comes first.
    if (node === undefined || parentNode === undefined || parent >= index) {
      throw new SourceError(source, `The ScopeFunction log of ${where} has condition ${index} under condition ${parent}: a parent must come before its children.`)
    }
    parentNode.children.push(node)
  }
  const strip = (node: Node): Condition => ({
    paramType: node.paramType,
    operator: node.operator,
    ...(node.compValue === undefined ? {} : { compValue: node.compValue }),
    ...(node.children.length === 0 ? {} : { children: node.children.map(strip) }),
  })
  return strip(root)
}

/**
 * Reads a Safe and its Zodiac Roles v2 modifier at one block: the modifier's avatar, target and
 * owner, the Safe's owners, threshold and enabled modules, and, from the modifier's logs since
 * `fromBlock`, the role `roleKey` (targets, functions, conditions, members), every membership and
 * every default role.
 *
 * The role is rebuilt the way the Roles subgraph builds it from the same events: lowercase target
 * addresses and selectors, a target's functions kept after `RevokeTarget` (the modifier keeps them
 * too, and they come back into force if the target is scoped again), so that
 * `callsPlannedForApplyRole(state.role, role)` plans nothing when the chain already holds `role`.
 * Logs are read in ranges of `blockRange` blocks, halved when the node refuses one as too large.
 * Throws a SourceError when the node fails to answer anything: never a partial state.
 */
export async function readRolesState(parameters: ReadRolesStateParameters): Promise<RolesState> {
  const { client, fromBlock } = parameters
  const roles = getAddress(parameters.roles)
  const safe = getAddress(parameters.safe)
  const roleKey = lowerHex(parameters.roleKey)
  const source = parameters.chain ?? client.chain?.name ?? 'chain'
  const optionsOf = (value: number, where: string): ExecutionOptions => {
    const options = executionOptionsOf(value)
    if (options === undefined) throw new SourceError(source, `The Roles modifier's log in ${where} has execution options ${value}, which Roles v2 does not define (0 to 3).`)
    return options
  }
  const ask = async <T>(what: string, read: () => Promise<T>): Promise<T> => {
    try {
      return await read()
    } catch (cause) {
      throw new SourceError(source, `The ${source} node did not answer ${what}.`, { cause, details: shortMessageOf(cause) })
    }
  }

  const block = parameters.toBlock ?? (await ask('the latest block number', () => client.getBlockNumber()))
  if (fromBlock > block) throw new SourceError(source, `The Roles logs were to be read from block ${fromBlock}, but the chain is at block ${block}.`)
  for (const [what, address] of [
    ['the Roles modifier', roles],
    ['the Safe', safe],
  ] as const) {
    const code = await ask(`the code at ${what} ${address}`, () => client.getCode({ address, blockNumber: block }))
    if (code === undefined || code === '0x') throw new SourceError(source, `There is no contract at ${what} address ${address} on ${source} at block ${block}.`)
  }

  const readModifier = <const name extends 'avatar' | 'target' | 'owner'>(name: name) =>
    ask(`the Roles modifier's ${name}()`, () => client.readContract({ address: roles, abi: rolesModifierAbi, functionName: name, blockNumber: block }))
  const avatar = getAddress(await readModifier('avatar'))
  const target = getAddress(await readModifier('target'))
  const owner = getAddress(await readModifier('owner'))
  const safeOwners = (await ask(`the Safe's getOwners()`, () => client.readContract({ address: safe, abi: safeAbi, functionName: 'getOwners', blockNumber: block }))).map((item) => getAddress(item))
  const safeThreshold = await ask(`the Safe's getThreshold()`, () => client.readContract({ address: safe, abi: safeAbi, functionName: 'getThreshold', blockNumber: block }))
  const rolesEnabled = await ask(`the Safe's isModuleEnabled(${roles})`, () => client.readContract({ address: safe, abi: safeAbi, functionName: 'isModuleEnabled', args: [roles], blockNumber: block }))
  const safeModules = await readModules(safe, block, ask)

  const logs = await readRoleLogs({ client, roles, fromBlock, toBlock: block, blockRange: parameters.blockRange ?? DEFAULT_BLOCK_RANGE, source })

  const targets = new Map<Address, TargetDraft>()
  const targetOf = (address: Address): TargetDraft => {
    const key = lowerHex(address)
    let draft = targets.get(key)
    if (draft === undefined) {
      // As the subgraph does, a function allowed on a target never allowed itself makes the target, cleared for nothing.
      draft = { clearance: Clearance.None, executionOptions: ExecutionOptions.None, functions: new Map() }
      targets.set(key, draft)
    }
    return draft
  }
  const members = new Map<Address, Set<Hex>>()
  const defaults = new Map<Address, Hex>()
  let lastUpdate = 0
  let setUpBlock: bigint | undefined
  let folded = 0
  for (const log of logs) {
    if (log.eventName === 'RolesModSetup') {
      setUpBlock ??= log.blockNumber
      continue
    }
    folded += 1
    const where = `block ${log.blockNumber} (log ${log.logIndex})`
    if (log.eventName === 'AssignRoles') {
      const { module, roleKeys, memberOf } = log.args
      const member = getAddress(module)
      let keys = members.get(member)
      if (keys === undefined) {
        keys = new Set()
        members.set(member, keys)
      }
      roleKeys.forEach((key, index) => {
        const lower = lowerHex(key)
        if (memberOf[index] === true) keys.add(lower)
        else keys.delete(lower)
        if (lower === roleKey) lastUpdate = Number(log.blockNumber)
      })
      continue
    }
    if (log.eventName === 'SetDefaultRole') {
      const module = getAddress(log.args.module)
      const key = lowerHex(log.args.defaultRoleKey)
      if (key === ZERO_KEY) defaults.delete(module)
      else defaults.set(module, key)
      continue
    }
    if (log.args.roleKey.toLowerCase() !== roleKey) continue
    lastUpdate = Number(log.blockNumber)
    switch (log.eventName) {
      case 'AllowTarget': {
        const draft = targetOf(log.args.targetAddress)
        draft.clearance = Clearance.Target
        draft.executionOptions = optionsOf(log.args.options, where)
        break
      }
      case 'ScopeTarget': {
        const draft = targetOf(log.args.targetAddress)
        draft.clearance = Clearance.Function
        draft.executionOptions = ExecutionOptions.None
        break
      }
      case 'RevokeTarget': {
        // As the subgraph does, revoking a target the role never had leaves nothing to show.
        const draft = targets.get(lowerHex(log.args.targetAddress))
        if (draft !== undefined) {
          draft.clearance = Clearance.None
          draft.executionOptions = ExecutionOptions.None
        }
        break
      }
      case 'AllowFunction': {
        const selector = lowerHex(log.args.selector)
        targetOf(log.args.targetAddress).functions.set(selector, { selector, executionOptions: optionsOf(log.args.options, where), wildcarded: true })
        break
      }
      case 'ScopeFunction': {
        const selector = lowerHex(log.args.selector)
        const condition = conditionTree(log.args.conditions, `${selector} on ${log.args.targetAddress} in ${where}`, source)
        targetOf(log.args.targetAddress).functions.set(selector, { selector, executionOptions: optionsOf(log.args.options, where), wildcarded: false, condition })
        break
      }
      case 'RevokeFunction': {
        targets.get(lowerHex(log.args.targetAddress))?.functions.delete(lowerHex(log.args.selector))
        break
      }
    }
  }

  const memberships: RoleMembership[] = []
  for (const [member, keys] of members) for (const key of keys) memberships.push({ member, roleKey: key })
  const role: Role = {
    key: roleKey,
    members: memberships.filter((item) => item.roleKey === roleKey).map((item) => item.member),
    targets: [...targets].map(([address, draft]): Target => ({ address, clearance: draft.clearance, executionOptions: draft.executionOptions, functions: [...draft.functions.values()] })),
    annotations: [],
    lastUpdate,
  }
  return {
    roles,
    safe,
    block,
    fromBlock,
    modifier: { avatar, target, owner },
    safeOwners,
    safeThreshold,
    rolesEnabled,
    safeModules,
    role,
    memberships,
    defaultRoles: [...defaults].map(([module, key]) => ({ module, roleKey: key })),
    logs: folded,
    setUpBlock,
  }

  /** Reads every enabled module of the Safe, page by page from the sentinel. */
  async function readModules(address: Address, at: bigint, read: typeof ask): Promise<Address[]> {
    const modules: Address[] = []
    let start: Address = SENTINEL
    for (let page = 0; page < MAX_MODULE_PAGES; page += 1) {
      const from = start
      const [array, next] = await read(`the Safe's getModulesPaginated(${from}, ${MODULE_PAGE})`, () =>
        client.readContract({ address, abi: safeAbi, functionName: 'getModulesPaginated', args: [from, MODULE_PAGE], blockNumber: at }),
      )
      modules.push(...array.map((item) => getAddress(item)))
      if (next === SENTINEL || next === zeroAddress || array.length === 0) return modules
      start = next
    }
    throw new SourceError(source, `The Safe ${address} listed more than ${MAX_MODULE_PAGES} pages of ${MODULE_PAGE} modules: its module list looks broken.`)
  }
}

/** Reads the modifier's role-changing logs from `fromBlock` to `toBlock` in order, halving a range the node refuses as too large. */
async function readRoleLogs(parameters: { client: PublicClient; roles: Address; fromBlock: bigint; toBlock: bigint; blockRange: bigint; source: string }) {
  const { client, roles, toBlock, source } = parameters
  let blockRange = parameters.blockRange > 0n ? parameters.blockRange : 1n
  let from = parameters.fromBlock
  const found = []
  while (from <= toBlock) {
    const to = from + blockRange - 1n < toBlock ? from + blockRange - 1n : toBlock
    const answer = await client.getLogs({ address: roles, events: roleEvents, fromBlock: from, toBlock: to, strict: true }).then(
      (logs) => ({ logs }),
      (cause: unknown) => ({ cause }),
    )
    if ('cause' in answer) {
      const size = to - from + 1n
      if (size > 1n && isRangeRefusal(answer.cause)) {
        blockRange = size / 2n
        continue
      }
      throw new SourceError(source, `The ${source} node did not answer the Roles modifier ${roles}'s logs in blocks ${from} to ${to}.`, {
        cause: answer.cause,
        details: shortMessageOf(answer.cause),
      })
    }
    found.push(...answer.logs)
    from = to + 1n
  }
  // A node answers each range in order; sorting keeps the fold right whatever it does.
  return found.sort((a, b) => (a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1))
}
