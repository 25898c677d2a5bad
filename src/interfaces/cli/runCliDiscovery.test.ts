import { join } from 'node:path'
import { type Address, getAddress, parseUnits } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliTempDir } from '../../../test/cliIo.js'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import { loadContractArtifact } from '../../adapters/localchain/loadContractArtifact.js'
import { createSqliteEventStore } from '../../adapters/sqlite/createSqliteEventStore.js'
import { EXIT, runCli } from './runCli.js'

const demoToken = loadContractArtifact('DemoToken')
const WALLET = getAddress('0x000000000000000000000000000000000d15c0de')

describe('dust scan and run with token discovery, on a local node', () => {
  let evm: EvmFixture
  let temp: Awaited<ReturnType<typeof cliTempDir>>
  let config: string
  let air: Address
  let eigen: Address
  let bee: Address
  const mint = async (token: Address, amount: bigint) => {
    const hash = await evm.wallet.writeContract({ address: token, abi: demoToken.abi, functionName: 'mint', args: [WALLET, amount], chain: null, account: evm.wallet.account ?? evm.deployer })
    return (await evm.client.waitForTransactionReceipt({ hash })).blockNumber
  }

  beforeAll(async () => {
    evm = await startEvmFixture()
    temp = await cliTempDir()
    const usdt = getAddress(await evm.deploy(demoToken, ['Tether USD', 'USDT', 6]))
    eigen = getAddress(await evm.deploy(demoToken, ['Eigen', 'EIGEN', 18]))
    air = getAddress(await evm.deploy(demoToken, ['Airdrop', 'AIR', 18]))
    bee = getAddress(await evm.deploy(demoToken, ['Bee Token', 'BEE', 8]))
    await mint(eigen, parseUnits('20', 18))
    await mint(air, parseUnits('1000.5', 18))
    config = await temp.write(
      'wallet.yaml',
      `mode: usdt_local
share_class: USDT
asset: ETH
dust_delta: 0.002
tokens:
  - { symbol: USDT, chain: local, decimals: 6, address: "${usdt}" }
  - { symbol: ETH, chain: local, decimals: 18 }
  - { symbol: EIGEN, chain: local, decimals: 18, address: "${eigen}" }
chains: { local: { rpc_url: "${evm.chain.rpcUrl}", chain_id: ${evm.chain.chainId}, multicall_address: "${evm.multicall}" } }
venues:
  wallet: { type: evm_wallet, chain: local, address: "${WALLET}", discovery_from_block: 0 }
prices:
  - { type: static, quote: USDT, prices: { EIGEN: "1.25", ETH: "2500" } }
equity: { type: static, value: "1000000" }
gas_price: { local: { type: static, gwei: "1" } }
`,
    )
  }, 120_000)

  afterAll(async () => {
    await evm?.stop()
    await temp?.cleanup()
  })

  it('scan: lists an airdropped token the registry lacks as a warning with its amount, and leaves it out of the dust', async () => {
    const out = cliIo()
    expect(await runCli(['scan', '-c', config], out)).toBe(EXIT.ok)
    expect(out.out()).toContain('dust 25 USDT')
    expect(out.out()).toContain(
      `  warning: Token AIR at ${air} on local came into wallet (found in its Transfer logs) and is not in tokens:, so it is neither valued nor converted. To treat it as dust, add it to tokens: with this address and its decimals, and give it a price source. Held: 1000.5 AIR.\n`,
    )
  })

  it('run --once: keeps the discovery cursor in the event store, and the next run resumes after it', async () => {
    const store = join(temp.dir, 'events.sqlite')
    const first = cliIo()
    expect(await runCli(['run', '--once', '-c', config, '--store', store], first)).toBe(EXIT.ok)
    const cursor = await evm.client.getBlockNumber({ cacheTime: 0 })
    const beeBlock = await mint(bee, 5n * 10n ** 8n)
    const second = cliIo()
    expect(await runCli(['run', '--once', '-c', config, '--store', store], second)).toBe(EXIT.ok)
    const latest = await evm.client.getBlockNumber({ cacheTime: 0 })
    expect(first.logger.at('info').map((entry) => entry.message)).toContain(`Token discovery of wallet on local scanned blocks 0 to ${cursor}`)
    expect(second.logger.at('info').map((entry) => entry.message)).toContain(`Token discovery of wallet on local scanned blocks ${cursor + 1n} to ${latest}`)
    const reopened = await createSqliteEventStore({ file: store })
    try {
      expect(await reopened.readTokenDiscovery({ strategyMode: 'usdt_local', chain: 'local', wallet: WALLET })).toEqual({
        scannedTo: latest,
        tokens: [
          { address: eigen.toLowerCase(), firstBlock: expect.any(BigInt) },
          { address: air.toLowerCase(), firstBlock: expect.any(BigInt) },
          { address: bee.toLowerCase(), firstBlock: beeBlock },
        ],
      })
      const warnings = (await reopened.read()).flatMap(({ event }) => (event.event_type === 'dust_warning' && event.code === 'unverified_token' ? [event.token] : []))
      expect(warnings).toEqual(['AIR', 'AIR', 'BEE'])
    } finally {
      await reopened.close()
    }
  })
})
