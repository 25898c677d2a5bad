import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Address, type Hex, parseUnits } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NPM_SOURCES, artifactsDir, compileContracts } from '../../../scripts/compileContracts.js'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import { loadContractArtifact } from './loadContractArtifact.js'

describe('the kept artifacts', () => {
  it('are what contracts/ and the npm sources compile to today, one artifact per contract', { timeout: 60_000 }, () => {
    // One compile for every artifact: solc-js takes seconds a run.
    const compiled = compileContracts()
    const keptNames = readdirSync(artifactsDir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort()
    // On failure, run `npx tsx scripts/compileContracts.ts` and keep the new artifacts (and delete those of removed contracts).
    expect(compiled.map((artifact) => artifact.contractName).sort()).toEqual(keptNames)
    for (const artifact of compiled) {
      const kept = JSON.parse(readFileSync(join(artifactsDir, `${artifact.contractName}.json`), 'utf8')) as unknown
      expect(artifact, `${artifact.contractName}.json`).toEqual(kept)
      expect(artifact.compiler).toMatchObject({ optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun' })
      expect(artifact.compiler.version).toMatch(/^0\.8\.37\+commit\./)
    }
    expect(keptNames).toEqual(expect.arrayContaining(['DemoToken', 'DemoVault', 'MockV3Aggregator', 'MockWeETH', 'MockWstETH']))
    expect(NPM_SOURCES).toEqual(['@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol'])
  })
})

describe('the kept DemoToken artifact', () => {
  it('is loaded with its ABI and creation bytecode', () => {
    const { abi, bytecode } = loadContractArtifact('DemoToken')
    expect(bytecode).toMatch(/^0x60[0-9a-f]+$/)
    // The CBOR metadata at the end names the compiler: solc 0.8.37 (0x000825).
    expect(bytecode.endsWith('64736f6c63430008250033')).toBe(true)
    const functions = abi.flatMap((item) => (item.type === 'function' ? [item.name] : []))
    expect(functions).toEqual(expect.arrayContaining(['mint', 'decimals', 'balanceOf', 'symbol', 'transfer', 'owner']))
  })
})

describe('DemoToken on a local chain', () => {
  let fixture: EvmFixture
  let token: Address
  const artifact = loadContractArtifact('DemoToken')
  // Hardhat's second development account: a holder that is not the owner.
  const holder = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d').address

  beforeAll(async () => {
    fixture = await startEvmFixture()
    token = await fixture.deploy(artifact, ['Tether USD', 'USDT', 6])
  }, 60_000)
  afterAll(async () => fixture?.stop())

  const read = (functionName: string, args: readonly unknown[] = []) => fixture.client.readContract({ address: token, abi: artifact.abi, functionName, args })

  it('has the decimals, name and symbol it was deployed with', async () => {
    expect(await read('decimals')).toBe(6)
    expect(await read('symbol')).toBe('USDT')
    expect(await read('name')).toBe('Tether USD')
    expect(await read('owner')).toBe(fixture.deployer)
  })

  it('lets the owner mint to a holder, in base units', async () => {
    const amount = parseUnits('1234.56789', 6)
    const hash = await fixture.wallet.writeContract({
      address: token,
      abi: artifact.abi,
      functionName: 'mint',
      args: [holder, amount],
      account: privateKeyToAccount(fixture.chain.accounts[0] as Hex),
      chain: fixture.wallet.chain,
    })
    expect((await fixture.client.waitForTransactionReceipt({ hash })).status).toBe('success')
    expect(amount).toBe(1_234_567_890n)
    expect(await read('balanceOf', [holder])).toBe(1_234_567_890n)
    expect(await read('totalSupply')).toBe(1_234_567_890n)
    expect(await read('balanceOf', [fixture.deployer])).toBe(0n)
  })

  it('refuses a mint from anyone but the owner', async () => {
    await expect(fixture.client.simulateContract({ address: token, abi: artifact.abi, functionName: 'mint', args: [holder, 1n], account: holder })).rejects.toThrow('Ownable: caller is not the owner')
  })
})
