/**
 * Compiles the contracts in `contracts/`, and the npm sources named in `NPM_SOURCES`, with solc-js
 * and writes one artifact per contract to `src/adapters/localchain/artifacts/<Name>.json`, kept in
 * the tree so that tests and the demo need no compiler. Run it after changing a contract or a
 * package: `npx tsx scripts/compileContracts.ts`. `DemoToken.test.ts` recompiles once and fails
 * when any kept artifact has drifted from its source.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import solc from 'solc'
import type { Abi, Hex } from 'viem'
import { BaseError } from '../src/errors/index.js'

/** A compiled contract as kept in the tree: what deploying it needs, and how it was built. */
export type ContractArtifact = {
  contractName: string
  abi: Abi
  /** Creation bytecode, 0x-prefixed. */
  bytecode: Hex
  compiler: {
    /** solc's full version, e.g. `0.8.37+commit.….Emscripten.clang`. */
    version: string
    optimizer: { enabled: boolean; runs: number }
    evmVersion: string
  }
}

export type CompileContractsReturnType = ContractArtifact[]

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..')
const contractsDir = join(projectRoot, 'contracts')
/** Where the artifacts are kept (read back by `loadContractArtifact`). */
export const artifactsDir = join(projectRoot, 'src', 'adapters', 'localchain', 'artifacts')

/**
 * Solidity sources that npm packages publish without bytecode, compiled as they are: each is
 * compiled under its import path, and the deployable contracts it declares are kept.
 * `MockV3Aggregator` is Chainlink's own test aggregator (`latestRoundData`, `updateRoundData`).
 */
export const NPM_SOURCES = ['@chainlink/contracts/src/v0.8/tests/MockV3Aggregator.sol'] as const

const optimizer = { enabled: true, runs: 200 }
// Pinned rather than left to the compiler's default, so that a compiler upgrade does not silently
// move the bytecode to an EVM version that some chains (and older local nodes) do not run.
const evmVersion = 'cancun'

/** What solc's standard JSON output holds, as far as this script reads it. */
type SolcOutput = {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[]
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>
}

/** Reads an imported file (e.g. `@openzeppelin/contracts/...`) from the installed npm packages. */
function findImport(path: string): { contents: string } | { error: string } {
  try {
    const require = createRequire(join(projectRoot, 'package.json'))
    return { contents: readFileSync(require.resolve(path), 'utf8') }
  } catch {
    return { error: `${path} is not in node_modules (expected an installed npm package to provide it)` }
  }
}

/**
 * Compiles every `.sol` file in `contracts/` and each of `NPM_SOURCES`, in one solc run, and
 * returns one artifact per deployable contract declared in them (imported contracts are left out).
 */
export function compileContracts(): CompileContractsReturnType {
  const files = readdirSync(contractsDir)
    .filter((name) => name.endsWith('.sol'))
    .sort()
  // Source unit names are relative to the project root so that the metadata hash in the bytecode,
  // and so the bytecode itself, are the same on every machine.
  const sources: Record<string, { content: string }> = Object.fromEntries(
    files.map((name) => [relative(projectRoot, join(contractsDir, name)).split('\\').join('/'), { content: readFileSync(join(contractsDir, name), 'utf8') }]),
  )
  // An npm source keeps its import path as its unit name, so that its own relative imports resolve
  // inside its package, as solc resolves them for a contract importing it.
  for (const path of NPM_SOURCES) {
    const found = findImport(path)
    if ('error' in found) throw new BaseError(`The npm source ${path} could not be read.`, { code: 'compile_failed', details: found.error })
    sources[path] = { content: found.contents }
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer,
      evmVersion,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  }
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput
  const errors = (output.errors ?? []).filter((error) => error.severity === 'error')
  if (errors.length > 0) {
    throw new BaseError(`solc could not compile the contracts in contracts/ and the npm sources (${errors.length} error${errors.length === 1 ? '' : 's'}).`, {
      code: 'compile_failed',
      details: errors.map((error) => error.formattedMessage).join('\n'),
    })
  }
  const version = solc.version() as string
  return Object.keys(sources).flatMap((unit) =>
    Object.entries(output.contracts?.[unit] ?? {})
      // Abstract contracts and interfaces have no creation code: nothing to deploy, nothing to keep.
      .filter(([, contract]) => contract.evm.bytecode.object.length > 0)
      .map(([contractName, contract]) => ({
        contractName,
        abi: contract.abi,
        bytecode: `0x${contract.evm.bytecode.object}` as Hex,
        compiler: { version, optimizer, evmVersion },
      })),
  )
}

/** Writes each artifact to `artifactsDir/<contractName>.json` and returns the paths written. */
export function writeArtifacts(artifacts: readonly ContractArtifact[]): string[] {
  return artifacts.map((artifact) => {
    const file = join(artifactsDir, `${artifact.contractName}.json`)
    writeFileSync(file, `${JSON.stringify(artifact, null, 2)}\n`)
    return file
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const file of writeArtifacts(compileContracts())) console.log(`wrote ${relative(projectRoot, file)}`)
}
