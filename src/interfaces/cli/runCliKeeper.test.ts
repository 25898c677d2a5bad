import { type Address, type Hex, createPublicClient, encodeFunctionData, getAddress, http, parseAbi, parseEventLogs, toFunctionSelector } from 'viem'
import { privateKeyToAccount, sign } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliTempDir } from '../../../test/cliIo.js'
import { FIXTURE_CONFIG_YAML } from '../../../test/fixtureConfig.js'
import { FIXED_TIME } from '../../../test/fixtureMoney.js'
import { freePort } from '../../../test/freePort.js'
import { defaultDataDir, readLastCloses } from '../../adapters/history/readLastCloses.js'
import { createLocalDeployer } from '../../adapters/localchain/createLocalDeployer.js'
import { execSafeTransaction } from '../../adapters/localchain/execSafeTransaction.js'
import { type LocalChain, startLocalChain } from '../../adapters/localchain/startLocalChain.js'
import { roleKeyOf } from '../../adapters/zodiac/roleKeyOf.js'
import { safeTransactionHash } from '../../adapters/zodiac/safeTransactionHash.js'
import { rolesModifierAbi, safeAbi } from '../../adapters/zodiac/zodiacAbis.js'
import { DEMO_ROLE, type DemoWorld, createDemoWorld, demoConfig } from '../../app/createDemoWorld.js'
import { Fraction } from '../../domain/money/index.js'
import { KEEPER_CHECK_DIFFERS } from './commands/addKeeperCommand.js'
import { EXIT, runCli } from './runCli.js'

/** Runs the CLI in-process and returns its exit code with what it printed. */
async function dust(argv: string[]) {
  const io = cliIo({ env: { DUST_KEEPER_KEY: `0x${'11'.repeat(32)}` } })
  const code = await runCli(argv, io)
  return { code, out: io.out(), err: io.err() }
}

type Json = Record<string, unknown> & {
  calls: Array<{ to: Address; value: string; data: Hex; description: string }>
  safe_transaction: Record<string, string | number>
  transaction_builder: Record<string, unknown>
}

/** Made-up addresses: nothing is deployed at them, and no node answers for this world. */
const SAFE = getAddress('0x5afe00000000000000000000000000000000cafe')
const ROLES = getAddress('0x901e500000000000000000000000000000000001')
const KEEPER = getAddress('0x4ee9e40000000000000000000000000000000002')
const MULTI_SEND = getAddress('0x9641d764fc13c8b624c04430c7356c1c7c8102e2')

/** The demo's configuration in keeper mode on a world of made-up addresses, its node at `rpcUrl`. */
function offlineConfig(rpcUrl: string, keeper = true): Record<string, unknown> {
  const at = (n: number) => getAddress(`0x${n.toString(16).padStart(40, '0')}`)
  const claims = { merkleRoot: `0x${'ab'.repeat(32)}`, claims: { [SAFE]: { index: 0, amount: '0x01', proof: [] } } }
  const world = {
    chain: { rpcUrl, chainId: 31337 },
    environment: {
      tokens: { WETH: at(0xe1), USDT: at(0xe2), EIGEN: at(0xe3), ETHFI: at(0xe4), weETH: at(0xe5) },
      multicall: at(0xc1),
      uniswapV2: { factory: at(0xf2), router: at(0xa2), pairs: [] },
      uniswapV3: { factory: at(0xf3), swapRouter: at(0xa3), quoterV2: at(0xa4), positionManager: at(0xa5), pools: [] },
      distributors: { EIGEN: { address: at(0xd1), claims }, ETHFI: { address: at(0xd2), claims } },
    },
    wallet: SAFE,
    keeper: keeper ? { safe: SAFE, roles: ROLES, multiSend: MULTI_SEND, role: DEMO_ROLE, keeper: KEEPER, ownerKey: `0x${'22'.repeat(32)}` } : undefined,
    walletKey: `0x${'11'.repeat(32)}`,
    depositAddress: at(0xb1),
    closes: {
      ethUsdt: { value: Fraction.fromDecimalString('2500'), time: '', file: '' },
      eigenWeth: { value: Fraction.fromDecimalString('0.0005'), time: '', file: '' },
      ethfiWeth: { value: Fraction.fromDecimalString('0.0004'), time: '', file: '' },
      weethEth: { value: Fraction.fromDecimalString('1.06'), time: '', file: '' },
    },
  } as unknown as DemoWorld
  return demoConfig(world, 'DUST_KEEPER_KEY')
}

let temp: Awaited<ReturnType<typeof cliTempDir>>
let deadUrl: string

beforeAll(async () => {
  temp = await cliTempDir()
  deadUrl = `http://desk:hunter2@127.0.0.1:${await freePort()}/v3/s3cr3tpr0j3ctk3y`
})

afterAll(async () => {
  await temp.cleanup()
})

describe('dust keeper, without a chain', () => {
  it('prints help for keeper and both subcommands', async () => {
    const keeper = await dust(['keeper', '--help'])
    expect(keeper.code).toBe(EXIT.ok)
    expect(keeper.out).toContain('Usage: dust keeper [options] [command]')
    expect(keeper.out).toMatch(/\n {2}permissions \[options\] +Print, for review, the permissions the keeper role\n/)
    expect(keeper.out).toMatch(/\n {2}check \[options\] +Compare the Safe, its Roles modifier and the keeper\n/)
    const permissions = await dust(['keeper', 'permissions', '--help'])
    expect(permissions.code).toBe(EXIT.ok)
    for (const option of ['-c, --config <file>', '--json', '--nonce <n>', '--assume-empty']) expect(permissions.out).toContain(option)
    const check = await dust(['keeper', 'check', '--help'])
    expect(check.out.replace(/\s+/g, ' ')).toContain(`Exit codes: 0 no difference, ${KEEPER_CHECK_DIFFERS} differences found, 1 the node did not answer, 2 bad configuration or options.`)
  })

  it.each([['permissions', '--assume-empty', '--nonce', '0'], ['permissions'], ['check']])('refuses a configuration without a roles signer: keeper %s (exit 2)', async (...command) => {
    const file = await temp.write('plain.yaml', FIXTURE_CONFIG_YAML)
    const { code, out, err } = await dust(['keeper', ...command, '--config', file])
    expect(code).toBe(EXIT.usage)
    expect(out).toBe('')
    expect(err).toBe(
      `error: Invalid configuration in ${file} (1 problem).\n  ${file} execution.signer: expected a roles signer (type: roles, with safe, roles_modifier, role and keeper) to derive a keeper role from, found no signer\n`,
    )
  })

  it('refuses a key signer too, before reading its dead node', async () => {
    const file = await temp.write('key.json', JSON.stringify(offlineConfig(deadUrl, false)))
    const { code, err } = await dust(['keeper', 'check', '--config', file])
    expect(code).toBe(EXIT.usage)
    expect(err).toContain('execution.signer: expected a roles signer (type: roles, with safe, roles_modifier, role and keeper) to derive a keeper role from, found a private_key_env signer')
  })

  it('refuses --assume-empty without --nonce, and a --nonce that is not a whole number', async () => {
    const file = await temp.write('offline.json', JSON.stringify(offlineConfig(deadUrl)))
    const withoutNonce = await dust(['keeper', 'permissions', '--config', file, '--assume-empty'])
    expect(withoutNonce.code).toBe(EXIT.usage)
    expect(withoutNonce.err).toBe(
      "error: --assume-empty needs --nonce: without reading the chain the Safe nonce is unknown, and the Safe transaction hash signs it.\nGive the Safe's next nonce (shown in the Safe app's queue) with --nonce N.\n",
    )
    const badNonce = await dust(['keeper', 'permissions', '--config', file, '--assume-empty', '--nonce', '-1'])
    expect(badNonce.code).toBe(EXIT.usage)
    expect(badNonce.err).toBe('error: --nonce takes a whole number from 0 to 9007199254740991, found "-1".\n')
  })

  it('plans from an empty role offline: one MultiSendCallOnly batch, its hash and a Transaction Builder batch', async () => {
    const file = await temp.write('offline.json', JSON.stringify(offlineConfig(deadUrl)))
    const { code, out, err } = await dust(['keeper', 'permissions', '--config', file, '--assume-empty', '--nonce', '7', '--json'])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const json = JSON.parse(out) as Json
    const roleKey = roleKeyOf(DEMO_ROLE)
    expect({ ...json, review: undefined, calls: undefined, safe_transaction: undefined, transaction_builder: undefined }).toEqual({
      chain_id: 31337,
      chain: 'local',
      safe: SAFE,
      roles_modifier: ROLES,
      role: { name: DEMO_ROLE, key: roleKey },
      keeper: KEEPER,
      read_at_block: null,
      assumed_empty: true,
      matches: false,
      review: undefined,
      calls: undefined,
      safe_transaction: undefined,
      transaction_builder: undefined,
      other_differences: [],
    })
    // The keeper joins; 2 distributors, EIGEN, ETHFI, the V3 and the V2 router are scoped; 8 functions (2 claims, 2 approves, 2 transfers, 2 swaps).
    const kinds = json.calls.map((call) => call.description.split(' ')[0])
    expect([kinds[0], kinds.filter((kind) => kind === 'scopeTarget').length, kinds.filter((kind) => kind === 'scopeFunction').length, kinds.length]).toEqual(['assignRoles', 6, 8, 15])
    expect(json.calls.every((call) => call.to === ROLES && call.value === '0')).toBe(true)
    expect(json.calls[0]?.description).toBe(`assignRoles ${KEEPER} joins the role "${DEMO_ROLE}"`)
    const tx = json.safe_transaction
    expect({ ...tx, data: undefined, safe_tx_hash: undefined }).toEqual({
      to: MULTI_SEND,
      value: '0',
      data: undefined,
      operation: 1,
      safe_tx_gas: '0',
      base_gas: '0',
      gas_price: '0',
      gas_token: '0x0000000000000000000000000000000000000000',
      refund_receiver: '0x0000000000000000000000000000000000000000',
      nonce: '7',
      safe_tx_hash: undefined,
    })
    const hash = safeTransactionHash({
      safe: SAFE,
      chainId: 31337,
      transaction: {
        to: tx.to as Address,
        value: BigInt(tx.value as string),
        data: tx.data as Hex,
        operation: tx.operation as 1,
        safeTxGas: BigInt(tx.safe_tx_gas as string),
        baseGas: BigInt(tx.base_gas as string),
        gasPrice: BigInt(tx.gas_price as string),
        gasToken: tx.gas_token as Address,
        refundReceiver: tx.refund_receiver as Address,
        nonce: BigInt(tx.nonce as string),
      },
    })
    expect(tx.safe_tx_hash).toBe(hash)
    expect(json.transaction_builder).toEqual({
      version: '1.0',
      chainId: '31337',
      createdAt: FIXED_TIME,
      meta: {
        name: `dust keeper role ${DEMO_ROLE}`,
        description: `Sets the Zodiac Roles role "${DEMO_ROLE}" (${roleKey}) on ${ROLES} to what the configuration needs: 15 calls, keeper ${KEEPER}.`,
        txBuilderVersion: '1.18.0',
        createdFromSafeAddress: SAFE,
        createdFromOwnerAddress: '',
      },
      transactions: json.calls.map((call) => ({ to: call.to, value: call.value, data: call.data })),
    })
  })

  it('prints the same plan for review as text', async () => {
    const file = await temp.write('offline.json', JSON.stringify(offlineConfig(deadUrl)))
    const json = JSON.parse((await dust(['keeper', 'permissions', '--config', file, '--assume-empty', '--nonce', '7', '--json'])).out) as Json
    const { code, out } = await dust(['keeper', 'permissions', '--config', file, '--assume-empty', '--nonce', '7'])
    expect(code).toBe(EXIT.ok)
    const lines = out.split('\n')
    expect(lines.slice(0, 5)).toEqual([
      `Keeper role "${DEMO_ROLE}" (${roleKeyOf(DEMO_ROLE)}) on local (chain 31337)`,
      `  keeper    ${KEEPER}`,
      `  Safe      ${SAFE}`,
      `  modifier  ${ROLES}`,
      '  planned from an empty role on a modifier assumed enabled on the Safe (--assume-empty): the chain was not read',
    ])
    for (const line of json.review as string[]) expect(lines).toContain(`  ${line}`)
    expect(lines).toContain('Calls the Safe makes (15):')
    const listed = lines.indexOf('Calls the Safe makes (15):') + 1
    expect(lines.slice(listed, listed + 15)).toEqual(json.calls.map((call, index) => `  ${index + 1}. ${call.description}`))
    const dataBytes = ((json.safe_transaction.data as string).length - 2) / 2
    expect(lines.slice(lines.indexOf(`Safe transaction for the Safe ${SAFE} to sign and execute:`) + 1)).toEqual([
      `  to          ${MULTI_SEND} (MultiSendCallOnly)`,
      '  operation   1 (DELEGATECALL)',
      '  value       0',
      `  data        ${dataBytes} bytes`,
      '  nonce       7',
      '  safeTxGas, baseGas, gasPrice 0; gasToken and refundReceiver the zero address (no refund)',
      `  safeTxHash  ${json.safe_transaction.safe_tx_hash}`,
      'Check that the hash your wallet shows is this one before signing; --json gives the data and a Transaction Builder batch.',
      '',
    ])
  })

  it.each([['check'], ['permissions']])('reports a node that does not answer without its URL, never as no difference: keeper %s (exit 1)', async (command) => {
    const file = await temp.write('dead.json', JSON.stringify(offlineConfig(deadUrl)))
    const { code, out, err } = await dust(['keeper', command as string, '--config', file])
    expect(code).toBe(EXIT.failure)
    expect(out).toBe('')
    expect(err).toBe('error: The local node did not answer its chain id.\nHTTP request failed.\n')
    for (const secret of ['hunter2', 's3cr3tpr0j3ctk3y', deadUrl.split('@')[1]?.split('/')[0] as string]) expect(err).not.toContain(secret)
  })
})

describe('dust keeper, on the local node with the demo Safe and its role applied', () => {
  let chain: LocalChain
  let world: DemoWorld
  let keeper: NonNullable<DemoWorld['keeper']>
  let demoFile: string

  /** The demo's configuration, changed by `change`, written as JSON. */
  const writeConfig = (name: string, change: (input: Record<string, unknown> & { execution: { signer: Record<string, unknown> } }) => void = () => {}) => {
    const input = demoConfig(world, 'DUST_KEEPER_KEY') as Record<string, unknown> & { execution: { signer: Record<string, unknown> } }
    change(input)
    return temp.write(name, JSON.stringify(input))
  }

  beforeAll(async () => {
    chain = await startLocalChain()
    world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})), keeper: true })
    if (!world.keeper) throw new Error('test setup: the world has no keeper')
    keeper = world.keeper
    demoFile = await writeConfig('demo.json')
  }, 240_000)

  afterAll(async () => {
    await chain?.stop()
  })

  it('finds no difference with the role the demo applied, and plans no transaction', async () => {
    const check = await dust(['keeper', 'check', '--config', demoFile, '--json'])
    expect(check.err).toBe('')
    expect(check.code).toBe(EXIT.ok)
    const json = JSON.parse(check.out) as Record<string, unknown>
    expect({ ok: json.ok, differences: json.differences, safe: json.safe, keeper: json.keeper }).toEqual({ ok: true, differences: [], safe: keeper.safe, keeper: keeper.keeper })
    const text = await dust(['keeper', 'check', '--config', demoFile])
    expect(text.code).toBe(EXIT.ok)
    expect(text.out.trimEnd().split('\n').at(-1)).toBe('No difference: the chain holds exactly the role the configuration needs.')

    const permissions = await dust(['keeper', 'permissions', '--config', demoFile])
    expect(permissions.err).toBe('')
    expect(permissions.code).toBe(EXIT.ok)
    expect(permissions.out).toMatch(/read at block \d+ \(the role's history from block 0\); the modifier is enabled on the Safe\n/)
    expect(permissions.out.trimEnd().split('\n').at(-1)).toBe('The role on chain already matches the configuration: no transaction to sign.')
    expect(permissions.out).not.toContain('safeTxHash')
    const asJson = JSON.parse((await dust(['keeper', 'permissions', '--config', demoFile, '--json'])).out) as Record<string, unknown>
    expect({ matches: asJson.matches, calls: asJson.calls, safe_transaction: asJson.safe_transaction, transaction_builder: asJson.transaction_builder }).toEqual({
      matches: true,
      calls: [],
      safe_transaction: null,
      transaction_builder: null,
    })
  })

  it('writes, for a role never configured, a Safe transaction that executes exactly as printed; then the chain matches', async () => {
    const second = privateKeyToAccount(`0x${'5e'.repeat(32)}`).address
    const file = await writeConfig('second.json', (input) => {
      input.execution.signer.role = 'desk-second'
      input.execution.signer.keeper = second
    })
    const before = await dust(['keeper', 'check', '--config', file, '--json'])
    expect(before.code).toBe(KEEPER_CHECK_DIFFERS)
    const codes = (JSON.parse(before.out) as { differences: Array<{ code: string }> }).differences.map((d) => d.code)
    const count = (code: string) => codes.filter((candidate) => candidate === code).length
    expect([codes[0], count('target_missing'), count('function_missing'), codes.length]).toEqual(['keeper_not_member', 6, 8, 15])

    const { code, out, err } = await dust(['keeper', 'permissions', '--config', file, '--json'])
    expect(err).toBe('')
    expect(code).toBe(EXIT.ok)
    const json = JSON.parse(out) as Json
    const client = createPublicClient({ transport: http(chain.rpcUrl) })
    const nonce = await client.readContract({ address: keeper.safe, abi: safeAbi, functionName: 'nonce' })
    const tx = json.safe_transaction
    expect({ to: tx.to, operation: tx.operation, nonce: tx.nonce, calls: json.calls.length }).toEqual({ to: keeper.multiSend, operation: 1, nonce: nonce.toString(), calls: 15 })
    expect(json.calls[0]?.description).toBe(`assignRoles ${second} joins the role "desk-second"`)
    // The Safe computes the same hash from the printed fields.
    const fields = [
      tx.to as Address,
      BigInt(tx.value as string),
      tx.data as Hex,
      Number(tx.operation),
      BigInt(tx.safe_tx_gas as string),
      BigInt(tx.base_gas as string),
      BigInt(tx.gas_price as string),
      tx.gas_token as Address,
      tx.refund_receiver as Address,
    ] as const
    expect(await client.readContract({ address: keeper.safe, abi: safeAbi, functionName: 'getTransactionHash', args: [...fields, BigInt(tx.nonce as string)] })).toBe(tx.safe_tx_hash)
    // The desk signs the printed hash and anyone sends execTransaction with exactly the printed fields.
    const signature = await sign({ hash: tx.safe_tx_hash as Hex, privateKey: keeper.ownerKey, to: 'hex' })
    const sender = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: chain.accounts[2] as Hex })
    const hash = await sender.wallet.writeContract({
      chain: sender.client.chain,
      account: sender.wallet.account ?? sender.address,
      address: keeper.safe,
      abi: safeAbi,
      functionName: 'execTransaction',
      args: [...fields, signature],
    })
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 })
    expect(receipt.status).toBe('success')
    expect(parseEventLogs({ abi: safeAbi, logs: receipt.logs, eventName: 'ExecutionSuccess' }).map((log) => log.args.txHash)).toEqual([tx.safe_tx_hash])

    const after = await dust(['keeper', 'check', '--config', file, '--json'])
    expect(after.err).toBe('')
    expect(JSON.parse(after.out)).toMatchObject({ ok: true, differences: [] })
    expect(after.code).toBe(EXIT.ok)
    const again = await dust(['keeper', 'permissions', '--config', file, '--json'])
    expect(JSON.parse(again.out)).toMatchObject({ matches: true, calls: [] })
    // The demo's role is untouched.
    expect((await dust(['keeper', 'check', '--config', demoFile])).code).toBe(EXIT.ok)
  })

  it('names a function revoked and a target allowed whole on chain, the dangerous one marked (exit 3), and plans the calls that undo them', async () => {
    const roleKey = roleKeyOf(DEMO_ROLE)
    const eigen = world.environment.tokens.EIGEN as Address
    const weeth = world.environment.tokens.weETH as Address
    const owner = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: keeper.ownerKey })
    await execSafeTransaction({
      deployer: owner,
      safe: keeper.safe,
      ownerKeys: [keeper.ownerKey],
      multiSend: keeper.multiSend,
      calls: [
        {
          to: keeper.roles,
          value: 0n,
          data: encodeFunctionData({ abi: rolesModifierAbi, functionName: 'revokeFunction', args: [roleKey, eigen, toFunctionSelector('transfer(address,uint256)')] }),
        },
        { to: keeper.roles, value: 0n, data: encodeFunctionData({ abi: rolesModifierAbi, functionName: 'allowTarget', args: [roleKey, weeth, 0] }) },
      ],
    })
    const { code, out, err } = await dust(['keeper', 'check', '--config', demoFile, '--json'])
    expect(err).toBe('')
    expect(code).toBe(KEEPER_CHECK_DIFFERS)
    const json = JSON.parse(out) as { ok: boolean; differences: Array<{ code: string; danger: boolean; target?: string; selector?: string }> }
    expect(json.ok).toBe(false)
    expect(json.differences.map(({ code: c, danger, target, selector }) => ({ code: c, danger, target, selector }))).toEqual([
      { code: 'target_allowed_whole', danger: true, target: getAddress(weeth), selector: undefined },
      { code: 'function_missing', danger: false, target: getAddress(eigen), selector: toFunctionSelector('transfer(address,uint256)') },
    ])
    const text = await dust(['keeper', 'check', '--config', demoFile])
    expect(text.code).toBe(KEEPER_CHECK_DIFFERS)
    const lines = text.out.trimEnd().split('\n')
    expect(lines.filter((line) => line.startsWith('  [danger] ')).length).toBe(1)
    expect(lines.filter((line) => line.startsWith('  [differs] ')).length).toBe(1)
    expect(lines.at(-1)).toBe('2 differences (1 dangerous): the chain does not hold the role the configuration needs. `dust keeper permissions` writes the Safe transaction that puts the role right.')
    // The fix: the transfer scoped again and weETH revoked, two calls in one batch.
    const fix = JSON.parse((await dust(['keeper', 'permissions', '--config', demoFile, '--json'])).out) as Json
    expect(fix.calls.map((call) => call.description)).toEqual([
      `revokeTarget ${getAddress(weeth)}: nothing on the target allowed any more`,
      `scopeFunction ${getAddress(eigen)} (EIGEN) transfer(address,uint256) [0xa9059cbb]: allowed with conditions on its arguments (no ether, no delegatecall)`,
    ])
  })

  it('enables the modifier on the Safe first when it is not, and the printed batch puts everything right', async () => {
    // The Safe disables the Roles modifier (the only module: the sentinel 0x…01 points at it); the role still differs from the last test.
    const owner = createLocalDeployer({ rpcUrl: chain.rpcUrl, chainId: chain.chainId, privateKey: keeper.ownerKey })
    const disableModule = parseAbi(['function disableModule(address prevModule, address module)'])
    await execSafeTransaction({
      deployer: owner,
      safe: keeper.safe,
      ownerKeys: [keeper.ownerKey],
      multiSend: keeper.multiSend,
      calls: [{ to: keeper.safe, value: 0n, data: encodeFunctionData({ abi: disableModule, functionName: 'disableModule', args: ['0x0000000000000000000000000000000000000001', keeper.roles] }) }],
    })
    const check = await dust(['keeper', 'check', '--config', demoFile, '--json'])
    expect(check.code).toBe(KEEPER_CHECK_DIFFERS)
    expect((JSON.parse(check.out) as { differences: Array<{ code: string }> }).differences.map((d) => d.code)).toEqual(['roles_module_not_enabled', 'target_allowed_whole', 'function_missing'])
    const text = await dust(['keeper', 'permissions', '--config', demoFile])
    expect(text.out).toMatch(/; the modifier is NOT enabled on the Safe\n/)
    const { code, out } = await dust(['keeper', 'permissions', '--config', demoFile, '--json'])
    expect(code).toBe(EXIT.ok)
    const json = JSON.parse(out) as Json
    expect(json.calls.map((call) => [call.to, call.description.split(' ')[0]])).toEqual([
      [keeper.safe, 'enableModule'],
      [keeper.roles, 'revokeTarget'],
      [keeper.roles, 'scopeFunction'],
    ])
    expect(json.calls[0]?.data).toBe(encodeFunctionData({ abi: safeAbi, functionName: 'enableModule', args: [keeper.roles] }))
    // Executed as printed, signed by the desk's key.
    const tx = json.safe_transaction
    const signature = await sign({ hash: tx.safe_tx_hash as Hex, privateKey: keeper.ownerKey, to: 'hex' })
    const hash = await owner.wallet.writeContract({
      chain: owner.client.chain,
      account: owner.wallet.account ?? owner.address,
      address: keeper.safe,
      abi: safeAbi,
      functionName: 'execTransaction',
      args: [
        tx.to as Address,
        BigInt(tx.value as string),
        tx.data as Hex,
        Number(tx.operation),
        BigInt(tx.safe_tx_gas as string),
        BigInt(tx.base_gas as string),
        BigInt(tx.gas_price as string),
        tx.gas_token as Address,
        tx.refund_receiver as Address,
        signature,
      ],
    })
    expect((await owner.client.waitForTransactionReceipt({ hash, pollingInterval: 20 })).status).toBe('success')
    const after = await dust(['keeper', 'check', '--config', demoFile])
    expect(after.code).toBe(EXIT.ok)
    expect(after.out.trimEnd().split('\n').at(-1)).toBe('No difference: the chain holds exactly the role the configuration needs.')
  })
})
