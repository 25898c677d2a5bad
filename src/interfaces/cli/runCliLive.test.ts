import { createPublicClient, erc20Abi, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { encryptKeystoreJsonSync } from 'ethers/wallet'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliJsonLines, cliTempDir } from '../../../test/cliIo.js'
import { defaultDataDir, readLastCloses } from '../../app/readLastCloses.js'
import { type LocalChain, startLocalChain } from '../../app/startLocalChain.js'
import { type DemoWorld, createDemoWorld, demoConfig } from '../../app/createDemoWorld.js'
import { EXIT, runCli } from './runCli.js'

const PASSWORD = 'correct horse battery staple'

describe('dust run --once --execute, live on a local node with a keystore signer', () => {
  let chain: LocalChain
  let world: DemoWorld
  let temp: Awaited<ReturnType<typeof cliTempDir>>
  let file: string

  beforeAll(async () => {
    chain = await startLocalChain()
    world = await createDemoWorld({ chain, closes: await readLastCloses(defaultDataDir({})) })
    temp = await cliTempDir()
    const account = privateKeyToAccount(world.walletKey)
    // A cheap scrypt keeps the test fast; the keystore format is the one geth and ethers write.
    await temp.write('wallet.json', encryptKeystoreJsonSync({ address: account.address, privateKey: world.walletKey }, PASSWORD, { scrypt: { N: 16 } }))
    const config = demoConfig(world, 'UNUSED')
    const venues = config.venues as Record<string, unknown>
    // Live trades only on real venues: the paper Binance goes, and its mid price with it.
    delete venues.binance
    config.prices = (config.prices as Array<{ type: string }>).filter((source) => source.type !== 'cex_mid')
    config.mode = 'usdt_live_local'
    config.execution = { mode: 'live', max_slippage_bps: 50, signer: { keystore_file: 'wallet.json', keystore_password_env: 'DUST_KEYSTORE_PASSWORD' } }
    // JSON is YAML: the file the user would write.
    file = await temp.write('live.yaml', JSON.stringify(config, null, 2))
  }, 120_000)

  afterAll(async () => {
    await chain?.stop()
    await temp?.cleanup()
  })

  it('refuses without --execute and sends nothing', async () => {
    const io = cliIo({ env: { DUST_KEYSTORE_PASSWORD: PASSWORD } })
    const nonce = await createPublicClient({ transport: http(chain.rpcUrl) }).getTransactionCount({ address: world.wallet })
    expect(await runCli(['run', '--once', '-c', file], io)).toBe(EXIT.usage)
    expect(io.err()).toBe('error: Refusing live execution of usdt_live_local without --execute.\nAdd --execute to confirm, or set execution.mode to dry-run or paper.\n')
    const after = await createPublicClient({ transport: http(chain.rpcUrl) }).getTransactionCount({ address: world.wallet })
    expect(after).toBe(nonce)
  })

  it('says the keystore cannot be opened with a wrong password, without the password', async () => {
    const io = cliIo({ env: { DUST_KEYSTORE_PASSWORD: 'hunter2-not-it' } })
    expect(await runCli(['run', '--once', '--execute', '-c', file], io)).toBe(EXIT.usage)
    expect(io.err()).toContain('could not be decrypted')
    expect(io.err()).not.toContain('hunter2-not-it')
  })

  it('claims and swaps for real with --execute, signing with the keystore, and never prints the key', async () => {
    const io = cliIo({ env: { DUST_KEYSTORE_PASSWORD: PASSWORD }, clock: undefined })
    const client = createPublicClient({ transport: http(chain.rpcUrl) })
    const usdtBefore = await client.readContract({ address: world.environment.tokens.USDT, abi: erc20Abi, functionName: 'balanceOf', args: [world.wallet] })
    const code = await runCli(['run', '--once', '--execute', '--json', '-c', file], io)
    expect(io.err()).toBe('')
    expect(code).toBe(EXIT.ok)
    const [result] = cliJsonLines(io.out())
    const outcomes = result?.outcomes as Array<{ token: string; status: string; output: string; steps: Array<{ kind: string; reference: string; block?: string }> }>
    expect(outcomes.map((outcome) => outcome.steps.map((step) => step.kind))).toEqual([
      ['claim', 'approve', 'swap'],
      ['claim', 'approve', 'swap'],
    ])
    expect(outcomes.flatMap((outcome) => outcome.steps).every((step) => /^0x[0-9a-f]{64}$/.test(step.reference))).toBe(true)
    // Each step's block is the one the node's receipt names, as a string of digits.
    for (const step of outcomes.flatMap((outcome) => outcome.steps)) {
      const mined = await client.getTransactionReceipt({ hash: step.reference as `0x${string}` })
      expect(step.block).toBe(mined.blockNumber.toString())
    }
    expect(outcomes.map((outcome) => [outcome.token, outcome.status])).toEqual([
      ['EIGEN', 'converted'],
      ['ETHFI', 'converted'],
    ])
    const gained = (await client.readContract({ address: world.environment.tokens.USDT, abi: erc20Abi, functionName: 'balanceOf', args: [world.wallet] })) - usdtBefore
    const reported = outcomes.reduce(
      (sum, outcome) => sum + BigInt(outcome.output.replace('.', '').padEnd(outcome.output.indexOf('.') < 0 ? outcome.output.length + 6 : outcome.output.indexOf('.') + 6, '0')),
      0n,
    )
    expect(gained).toBe(reported)
    expect(await client.readContract({ address: world.environment.tokens.EIGEN, abi: erc20Abi, functionName: 'balanceOf', args: [world.wallet] })).toBe(0n)
    const everything = io.out() + io.err() + JSON.stringify(io.logger?.entries ?? [])
    expect(everything).not.toContain(world.walletKey.slice(2))
    expect(everything).not.toContain(PASSWORD)
  }, 60_000)
})
