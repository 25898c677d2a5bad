import { type ChildProcess, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { dirname, join } from 'node:path'
import { type Hex, bytesToHex } from 'viem'
import { mnemonicToAccount } from 'viem/accounts'
import { SourceError } from '../../errors/index.js'
import { packageRoot } from '../system/packageRoot.js'

/** Hardhat's well-known development mnemonic: its accounts are public and hold only local test ether. */
export const HARDHAT_MNEMONIC = 'test test test test test test test test test test test junk'

/** A running local EVM node. */
export type LocalChain = {
  readonly rpcUrl: string
  readonly chainId: number
  /** Private keys of the node's funded development accounts. */
  readonly accounts: readonly Hex[]
  /** Stops the node and waits for its process to end. */
  stop(): Promise<void>
}

export type StartLocalChainParameters = {
  /** How long to wait for the node to listen, in milliseconds (default 30,000). */
  readonly timeoutMs?: number
  /** Funded accounts to derive (default 4, the count `hardhat.config.cjs` funds). */
  readonly accountCount?: number
}

/** Asks the system for a free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

const running = new Set<ChildProcess>()
let exitHookInstalled = false

/** Kills every node this process started when it exits, however it exits. */
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of running) child.kill('SIGKILL')
  })
}

/**
 * Starts Hardhat's EVM node (from npm) on 127.0.0.1 at a free port.
 *
 * The node runs as a child process with the project's `hardhat.config.cjs` (chain id 31337,
 * mainnet-like base fee, funded development accounts). It is killed when `stop` is called or
 * when this process exits, so nothing is left running.
 */
export async function startLocalChain(parameters: StartLocalChainParameters = {}): Promise<LocalChain> {
  const timeoutMs = parameters.timeoutMs ?? 30_000
  const accountCount = parameters.accountCount ?? 4
  const port = await freePort()
  const require = createRequire(import.meta.url)
  const projectRoot = packageRoot(import.meta.url)
  const hardhatCli = join(dirname(require.resolve('hardhat/package.json')), 'internal', 'cli', 'bootstrap.js')
  const child = spawn(process.execPath, [hardhatCli, '--config', join(projectRoot, 'hardhat.config.cjs'), 'node', '--hostname', '127.0.0.1', '--port', String(port)], {
    cwd: projectRoot,
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: 'true', DO_NOT_TRACK: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  running.add(child)
  installExitHook()
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('exit', () => running.delete(child))

  let output = ''
  const rpcUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs)
    const fail = (why: string) => {
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new SourceError('local-chain', `The local Hardhat node ${why}.`, { details: output.slice(-2_000) }))
    }
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Started HTTP and WebSocket JSON-RPC server at (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('error', (error) => fail(`could not start: ${error.message}`))
    child.once('exit', (code) => fail(`exited with code ${code} before it listened`))
  })
  // Past start-up the node's log is not needed; keep draining it so that the pipe never fills.
  child.stdout?.removeAllListeners('data').resume()
  child.stderr?.removeAllListeners('data').resume()

  const accounts = Array.from({ length: accountCount }, (_, addressIndex) => {
    const key = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex }).getHdKey().privateKey
    if (!key) throw new Error(`The development mnemonic gave no private key for account ${addressIndex}.`)
    return bytesToHex(key)
  })
  return {
    rpcUrl,
    chainId: 31337,
    accounts,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
