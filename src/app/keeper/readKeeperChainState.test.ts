import { type Server, createServer } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoRolesConfig } from '../../../test/fixtureKeeperConfigs.js'
import { freePort } from '../../../test/freePort.js'
import type { StrategyConfig } from '../../config/index.js'
import { ConfigError, SourceError } from '../../errors/index.js'
import { readKeeperChainState } from './readKeeperChainState.js'

/** The demo's keeper configuration with its chain's node at `rpcUrl`. */
function configAt(rpcUrl: string): StrategyConfig {
  const config = demoRolesConfig()
  return { ...config, chains: { local: { ...(config.chains.local as NonNullable<StrategyConfig['chains']['local']>), rpc_url: rpcUrl } } }
}

// A node that answers every request with chain id 1, whatever the configuration says.
let mainnet: Server
let mainnetUrl: string

beforeAll(async () => {
  mainnet = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString()
    })
    request.on('end', () => {
      const parsed = JSON.parse(body) as { id: number } | Array<{ id: number }>
      const answer = (item: { id: number }) => ({ jsonrpc: '2.0', id: item.id, result: '0x1' })
      response.setHeader('content-type', 'application/json')
      response.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(answer) : answer(parsed)))
    })
  })
  await new Promise<void>((resolve) => mainnet.listen(0, '127.0.0.1', resolve))
  const address = mainnet.address()
  mainnetUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
})

afterAll(async () => {
  await new Promise((resolve) => mainnet.close(resolve))
})

describe('readKeeperChainState', () => {
  it('throws a SourceError without the URL, its credentials or its key when the node does not answer', async () => {
    const port = await freePort()
    const reading = readKeeperChainState({ config: configAt(`http://desk:hunter2@127.0.0.1:${port}/v3/s3cr3tk3y`) })
    await expect(reading).rejects.toBeInstanceOf(SourceError)
    const error = (await reading.catch((caught: unknown) => caught)) as SourceError
    expect(error.shortMessage).toBe('The local node did not answer its chain id.')
    for (const text of [error.shortMessage, error.details ?? '']) {
      for (const secret of ['hunter2', 's3cr3tk3y', String(port)]) expect(text).not.toContain(secret)
    }
  })

  it('refuses a node on another chain than the configured chain id, which the Safe transaction is signed for', async () => {
    const reading = readKeeperChainState({ config: configAt(mainnetUrl), file: 'keeper.yaml' })
    await expect(reading).rejects.toBeInstanceOf(ConfigError)
    await expect(reading).rejects.toMatchObject({
      details: '  keeper.yaml chains.local.chain_id: expected the chain id the node answers (1), which the Safe transaction is signed for, found 31337',
    })
  })

  it('refuses a configuration without a roles signer before asking the node', async () => {
    const config = configAt(mainnetUrl)
    const reading = readKeeperChainState({ config: { ...config, execution: { ...config.execution, signer: { private_key_env: 'DUST_KEY' } } }, file: 'plain.yaml' })
    await expect(reading).rejects.toMatchObject({
      name: 'ConfigError',
      details: '  plain.yaml execution.signer: expected a roles signer (type: roles, with safe, roles_modifier, role and keeper), found a key signer',
    })
  })
})
