import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Address, type Hex, createPublicClient, decodeFunctionData, erc20Abi, http } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { rolesModifierAbi } from '../../src/adapters/zodiac/zodiacAbis.js'
import type { DemoWorld } from '../../src/app/createDemoWorld.js'
import { demoConfig } from '../../src/app/createDemoWorld.js'
import { createTestDatabase } from '../createTestDatabase.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** An event store the crash tests run on: where it is (a file or a URL), and how to remove it. */
export type CrashBackend = { name: string; open(): Promise<{ spec: string; cleanup(): Promise<void> }> }

/** SQLite in a temporary folder, and PostgreSQL: a fresh database on the run's server (test/globalSetupPostgres.ts). */
export const CRASH_BACKENDS: readonly CrashBackend[] = [
  {
    name: 'SQLite',
    open: async () => {
      const dir = await mkdtemp(join(tmpdir(), 'dust-crash-'))
      return { spec: join(dir, 'events.db'), cleanup: () => rm(dir, { recursive: true, force: true }) }
    },
  },
  {
    name: 'PostgreSQL',
    open: async () => {
      // A database of its own per run, on the run's server (test/globalSetupPostgres.ts).
      const database = await createTestDatabase('crash')
      return { spec: database.url, cleanup: () => database.drop() }
    },
  },
]

/** What the crash child bundles: viem, zod and yaml, whose hundreds of files take most of a start when read from node_modules. */
const CHILD_BUNDLED = new Set(['viem', 'zod', 'yaml', '@noble/hashes'])
/** Every other package stays external. */
const CHILD_EXTERNAL = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies)
  .filter((name) => !CHILD_BUNDLED.has(name))
  .flatMap((name) => [name, `${name}/*`])

/**
 * Bundles the crash child (test/crash/crashChild.ts) once per test file, so each of the many
 * runs starts in a fraction of tsx's time. As in the CLI's bundle, each lazily imported module
 * is a chunk of its own, so a run loads only the packages its configuration needs (not ccxt,
 * which alone takes about a second to load). Each file names its own folder: test files run
 * side by side.
 */
export async function bundleCrashChild(name: string): Promise<string> {
  const outdir = join(root, 'node_modules', '.cache', 'dust-crash-test', name)
  const { build } = await import('esbuild')
  await build({
    entryPoints: { crashChild: join(root, 'test', 'crash', 'crashChild.ts') },
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    external: CHILD_EXTERNAL,
    target: 'node20',
    outdir,
    // Bundled CommonJS (yaml) requires Node's modules; an ES module has no `require`.
    banner: { js: "import { createRequire as __crashCreateRequire } from 'node:module'; const require = __crashCreateRequire(import.meta.url);" },
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
  })
  return join(outdir, 'crashChild.mjs')
}

/** Runs the crash child; resolves with the signal that ended it (SIGKILL at the boundary) and its output. */
export function runCrashChild(bundle: string, env: Record<string, string>): Promise<{ signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bundle], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ signal: (error as { signal?: string } | null)?.signal ?? null, stdout, stderr })
    })
  })
}

/**
 * Writes the crash tests' configuration of the demo world: on-chain only (both tokens claimed,
 * approved and swapped on Uniswap V3), a threshold any dust left after a crash exceeds, floors
 * from prices independent of the pool, and the given RPC URL (the node's own by default).
 */
export async function writeCrashConfig(world: DemoWorld, dir: string, options: { file?: string; rpcUrl?: string; extra?: Record<string, unknown> } = {}): Promise<string> {
  const input = demoConfig(world, 'CRASH_KEY')
  input.dust_delta = '0.00001'
  delete (input.venues as Record<string, unknown>).binance
  delete (input.venues as Record<string, unknown>).uniswap_v2
  input.prices = (input.prices as Array<{ type: string; venue?: string }>).filter((source) => source.type === 'fixed_rate' || source.venue === 'uniswap')
  // The floor needs a price independent of the pool: the oracle's ETH, and the last closes as fixed rates.
  ;(input.prices as unknown[]).push(
    { type: 'fixed_rate', name: 'closes_eigen', base: 'EIGEN', quote: 'WETH', rate: world.closes.eigenWeth.value.toDecimalString(18) },
    { type: 'fixed_rate', name: 'closes_ethfi', base: 'ETHFI', quote: 'WETH', rate: world.closes.ethfiWeth.value.toDecimalString(18) },
    { type: 'fixed_rate', name: 'closes_eth', base: 'WETH', quote: 'USDT', rate: world.closes.ethUsdt.value.toDecimalString(6) },
  )
  if (options.rpcUrl !== undefined) (input.chains as { local: { rpc_url: string } }).local.rpc_url = options.rpcUrl
  Object.assign(input, options.extra ?? {})
  const file = join(dir, options.file ?? 'crash.json')
  await writeFile(file, JSON.stringify(input))
  return file
}

/** Reads the world's wallet balances of the tokens a conversion moves. */
export async function walletBalances(world: DemoWorld, rpcUrl: string): Promise<Record<'EIGEN' | 'ETHFI' | 'USDT' | 'WETH', bigint>> {
  const client = createPublicClient({ transport: http(rpcUrl) })
  const result = { EIGEN: 0n, ETHFI: 0n, USDT: 0n, WETH: 0n }
  for (const symbol of ['EIGEN', 'ETHFI', 'USDT', 'WETH'] as const) {
    result[symbol] = await client.readContract({ address: world.environment.tokens[symbol] as Address, abi: erc20Abi, functionName: 'balanceOf', args: [world.wallet] })
  }
  return result
}

/**
 * The transactions the signing key sent to the V3 router (swaps) in the blocks after `fromBlock`:
 * from the wallet itself, or, in keeper mode, from the keeper to the Roles modifier with the router as the call's target.
 */
export async function swapsSince(world: DemoWorld, rpcUrl: string, fromBlock: bigint): Promise<Array<{ hash: Hex; block: bigint }>> {
  const client = createPublicClient({ transport: http(rpcUrl) })
  const latest = await client.getBlockNumber()
  const signer = privateKeyToAccount(world.walletKey).address.toLowerCase()
  const router = world.environment.uniswapV3.swapRouter.toLowerCase()
  const targetOf = (to: string, input: Hex): string | undefined => {
    if (to === router) return router
    if (world.keeper === undefined || to !== world.keeper.roles.toLowerCase()) return undefined
    const { functionName, args } = decodeFunctionData({ abi: rolesModifierAbi, data: input })
    return functionName === 'execTransactionWithRole' ? args[0].toLowerCase() : undefined
  }
  const swaps: Array<{ hash: Hex; block: bigint }> = []
  for (let block = fromBlock + 1n; block <= latest; block += 1n) {
    const { transactions } = await client.getBlock({ blockNumber: block, includeTransactions: true })
    for (const tx of transactions) {
      if (tx.from.toLowerCase() === signer && tx.to && targetOf(tx.to.toLowerCase(), tx.input) === router) swaps.push({ hash: tx.hash, block })
    }
  }
  return swaps
}
