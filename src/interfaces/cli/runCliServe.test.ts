import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliIo, cliTempDir } from '../../../test/cliIo.js'
import { FIXTURE_CONFIG_YAML } from '../../../test/fixtureConfig.js'
import { EXIT, runCli } from './runCli.js'

const TOKEN = 'serve-token-from-the-environment-0123'

describe('dust serve', () => {
  let temp: Awaited<ReturnType<typeof cliTempDir>>
  beforeAll(async () => {
    temp = await cliTempDir()
  })
  afterAll(async () => temp?.cleanup())

  it('serves scan with the token of api.token, scans a dry-run strategy, and keeps the token out of every answer', async () => {
    const config = await temp.write('serve.yaml', `${FIXTURE_CONFIG_YAML}api: { token: "\${DUST_API_TOKEN}" }\n`)
    const stop = new AbortController()
    const io = cliIo({ stopSignal: stop.signal, clock: undefined, env: { DUST_API_TOKEN: TOKEN } })
    const running = runCli(['serve', '--port', '0', '-c', config, '--store', `${temp.dir}/serve.db`], io)
    let address: string | undefined
    for (let tries = 0; !address && tries < 400; tries += 1) {
      address = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(io.out())?.[1]
      if (!address) await new Promise((resolve) => setTimeout(resolve, 25))
    }
    expect(address).toBeDefined()
    try {
      const scan = await fetch(`${address}/strategies/usdt_test/scan`, { method: 'POST', headers: { authorization: `bearer ${TOKEN}` } })
      expect(scan.status).toBe(200)
      expect(await scan.json()).toMatchObject({ strategy_mode: 'usdt_test', total_dust_value: '2660', exceeds_threshold: true })
      // The token sent where a strategy goes comes back redacted: serve hands its secrets to the API.
      const echoed = await fetch(`${address}/strategies/${TOKEN}/snapshot`)
      expect(echoed.status).toBe(400)
      const body = await echoed.text()
      expect(body).toContain('[redacted]')
      expect(body).not.toContain(TOKEN)
      const convert = await fetch(`${address}/strategies/usdt_test/convert`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })
      expect(convert.status).toBe(409)
      expect(((await convert.json()) as { error: { code: string } }).error.code).toBe('execution_disabled')
    } finally {
      stop.abort()
    }
    expect(await running).toBe(EXIT.ok)
    expect(io.out()).not.toContain(TOKEN)
    expect(io.err()).not.toContain(TOKEN)
    expect(JSON.stringify(io.logger.entries)).not.toContain(TOKEN)
  })
})
