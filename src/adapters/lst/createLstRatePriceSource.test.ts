import { type Address, type Hex, getAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EvmFixture, startEvmFixture } from '../../../test/evmFixture.js'
import { FIXED_TIME, fixtureClock } from '../../../test/fixtureMoney.js'
import { type Currency, Fraction, createCurrency } from '../../domain/money/index.js'
import { SourceError } from '../../errors/index.js'
import { type EvmCallBatcher, createEvmCallBatcher } from '../evm/createEvmCallBatcher.js'
import { loadContractArtifact } from '../localchain/loadContractArtifact.js'
import { type LstRateMethod, createLstRatePriceSource } from './createLstRatePriceSource.js'
import { lstRateAbi } from './lstRateAbis.js'

const weethArtifact = loadContractArtifact('MockWeETH')
const wstethArtifact = loadContractArtifact('MockWstETH')
const tokenArtifact = loadContractArtifact('DemoToken')
const vaultArtifact = loadContractArtifact('DemoVault')

/** A rate as the real weETH answered it on mainnet (eETH per weETH, 18 decimals). */
const WEETH_RATE = 1_066_123_456_789_012_345n
const WSTETH_RATE = 1_211_987_654_321_098_765n

describe('createLstRatePriceSource on a local node', () => {
  let fixture: EvmFixture
  let batcher: EvmCallBatcher
  let weeth: Address
  let wsteth: Address
  let usdc: Address
  let vault: Address
  const clock = fixtureClock()
  const ETH = createCurrency({ symbol: 'ETH', decimals: 18, chain: 'local' })
  const currencies: Record<string, Currency> = {}

  const send = async (address: Address, abi: typeof weethArtifact.abi, functionName: string, args: readonly unknown[]) => {
    const hash = await fixture.wallet.writeContract({ address, abi, functionName, args, account: privateKeyToAccount(fixture.chain.accounts[0] as Hex), chain: fixture.wallet.chain })
    expect((await fixture.client.waitForTransactionReceipt({ hash })).status).toBe('success')
  }

  beforeAll(async () => {
    fixture = await startEvmFixture()
    batcher = createEvmCallBatcher({ chain: 'local', client: fixture.client, multicallAddress: fixture.multicall })
    weeth = await fixture.deploy(weethArtifact, [WEETH_RATE])
    wsteth = await fixture.deploy(wstethArtifact, [WSTETH_RATE])
    // An OpenZeppelin 4.9 ERC-4626 vault over a 6-decimal asset: 1,000 deposited, then 100.5 of yield sent in.
    usdc = await fixture.deploy(tokenArtifact, ['USD Coin', 'USDC', 6])
    vault = await fixture.deploy(vaultArtifact, [usdc, 'Demo USDC Vault', 'dvUSDC'])
    await send(usdc, tokenArtifact.abi, 'mint', [fixture.deployer, 2_000_000_000n])
    await send(usdc, tokenArtifact.abi, 'approve', [vault, 1_000_000_000n])
    await send(vault, vaultArtifact.abi, 'deposit', [1_000_000_000n, fixture.deployer])
    await send(usdc, tokenArtifact.abi, 'transfer', [vault, 100_500_000n])
    currencies.weETH = createCurrency({ symbol: 'weETH', decimals: 18, chain: 'local', address: weeth })
    currencies.wstETH = createCurrency({ symbol: 'wstETH', decimals: 18, chain: 'local', address: wsteth })
    currencies.USDC = createCurrency({ symbol: 'USDC', decimals: 6, chain: 'local', address: usdc })
    currencies.dvUSDC = createCurrency({ symbol: 'dvUSDC', decimals: 6, chain: 'local', address: vault })
  }, 60_000)
  afterAll(async () => fixture?.stop())

  const source = (base: string, quote: Currency, method: LstRateMethod, contract?: Address) => {
    const currency = currencies[base] as Currency
    return createLstRatePriceSource({ name: `lst_rate:${base}/${quote.symbol}`, base: currency, quote, method, contract: contract ?? (currency.address as Address), batcher, clock })
  }

  it('prices weETH by getRate(), wstETH by stEthPerToken() and a vault share by convertToAssets, exactly, in one Multicall3 call', async () => {
    const before = batcher.calls()
    const [weethPrices, wstethPrices, vaultPrices] = await Promise.all([
      source('weETH', ETH, 'getRate').fetchPrices(),
      source('wstETH', ETH, 'stEthPerToken').fetchPrices(),
      source('dvUSDC', currencies.USDC as Currency, 'convertToAssets').fetchPrices(),
    ])
    expect(batcher.calls() - before).toBe(1)
    expect(weethPrices.map((price) => [price.perToken().toDecimalString(18), price.origin])).toEqual([['1.066123456789012345', { source: 'lst_rate:weETH/ETH', at: FIXED_TIME }]])
    expect(wstethPrices.map((price) => price.perToken().toDecimalString(18))).toEqual(['1.211987654321098765'])
    // OpenZeppelin 4.9: convertToAssets(1e6) = 1e6 × (1,100.5e6 + 1) ÷ (1,000e6 + 1), rounded down = 1,100,499 base units.
    const expected = (1_000_000n * (1_100_500_000n + 1n)) / (1_000_000_000n + 1n)
    expect(expected).toBe(1_100_499n)
    expect(await fixture.client.readContract({ address: vault, abi: lstRateAbi, functionName: 'convertToAssets', args: [1_000_000n] })).toBe(expected)
    expect(vaultPrices[0]?.perToken().equals(new Fraction(1_100_499n, 1_000_000n))).toBe(true)
    expect(vaultPrices[0]?.ratio.equals(new Fraction(1_100_499n, 1_000_000n))).toBe(true)
  })

  it('follows the rate as the contract moves it', async () => {
    await send(weeth, weethArtifact.abi, 'setRate', [1_070_000_000_000_000_001n])
    expect((await source('weETH', ETH, 'getRate').fetchPrices())[0]?.perToken().equals(new Fraction(1_070_000_000_000_000_001n, 10n ** 18n))).toBe(true)
  })

  it('refuses a zero rate', async () => {
    await send(wsteth, wstethArtifact.abi, 'setStEthPerToken', [0n])
    const error = await source('wstETH', ETH, 'stEthPerToken')
      .fetchPrices()
      .catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(SourceError)
    expect(error).toMatchObject({
      source: 'lst_rate:wstETH/ETH',
      shortMessage: `stEthPerToken() of ${wsteth} on local answered a rate of 0 for wstETH in ETH.`,
      details: 'Expected a positive rate, found 0.',
    })
  })

  it("refuses a vault whose asset is not the quote or whose decimals are not the registry's, and a contract without the method", async () => {
    const wrongQuote = await source('dvUSDC', currencies.weETH as Currency, 'convertToAssets')
      .fetchPrices()
      .catch((reason: unknown) => reason)
    expect(wrongQuote).toMatchObject({
      source: 'lst_rate:dvUSDC/weETH',
      shortMessage: `The vault ${vault} on local holds ${getAddress(usdc)}, not weETH: its shares cannot be priced in weETH.`,
    })
    // The registry giving the shares 18 decimals where the vault has 6 would misprice them by 10^12.
    const wrongDecimals = await createLstRatePriceSource({
      name: 'lst_rate:dvUSDC/USDC',
      base: createCurrency({ symbol: 'dvUSDC', decimals: 18, chain: 'local', address: vault }),
      quote: currencies.USDC as Currency,
      method: 'convertToAssets',
      contract: vault,
      batcher,
      clock,
    })
      .fetchPrices()
      .catch((reason: unknown) => reason)
    expect(wrongDecimals).toMatchObject({
      shortMessage: `The vault ${vault} on local has 6 decimals, but the registry gives dvUSDC 18.`,
      details: 'Expected decimals() to be 18, found 6.',
    })
    const noMethod = await source('weETH', ETH, 'stEthPerToken')
      .fetchPrices()
      .catch((reason: unknown) => reason)
    expect(noMethod).toBeInstanceOf(SourceError)
    expect(noMethod).toMatchObject({ source: 'lst_rate:weETH/ETH', shortMessage: `lst_rate:weETH/ETH could not read stEthPerToken() of ${weeth} on local.` })
  })
})
