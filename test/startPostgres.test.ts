import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { npmPostgresBinDir, startPostgres } from './startPostgres.js'

const run = promisify(execFile)
const asRoot = process.getuid?.() === 0

/** What a connection to the URL finds: its user, database and server version, or the error that refused it. */
async function probe(url: string): Promise<{ user: string; database: string; version: string } | { refused: string }> {
  const client = new pg.Client({ connectionString: url })
  try {
    await client.connect()
  } catch (error) {
    return { refused: (error as NodeJS.ErrnoException).code ?? (error as Error).message }
  }
  try {
    const { rows } = await client.query<{ user: string; database: string; version: string }>(
      "SELECT current_user AS user, current_database() AS database, current_setting('server_version') AS version",
    )
    return rows[0] as { user: string; database: string; version: string }
  } finally {
    await client.end()
  }
}

describe('startPostgres', () => {
  it('starts a server from the npm package, as nobody when root, and stop leaves neither server nor folder', async () => {
    const server = await startPostgres()
    try {
      expect(server.binDir).toBe(await npmPostgresBinDir())
      expect(await probe(server.url)).toEqual({ user: 'dust', database: 'dust_test', version: expect.stringMatching(/^17\.10\b/) })
      expect(new URL(server.url).hostname).toBe('127.0.0.1')
      expect(statSync(server.root).uid).toBe(asRoot ? Number((await run('id', ['-u', 'nobody'])).stdout.trim()) : process.getuid?.())
    } finally {
      await server.stop()
    }
    expect(existsSync(server.root)).toBe(false)
    expect(await probe(server.url)).toEqual({ refused: 'ECONNREFUSED' })
  }, 120_000)

  it('runs a copy of the binaries when the server user cannot reach them', async () => {
    // A folder only its owner may enter: as root, `nobody` cannot run what is inside.
    const hidden = mkdtempSync(join(tmpdir(), 'dust-pg-bin-'))
    try {
      cpSync(dirname(await npmPostgresBinDir()), join(hidden, 'installation'), { recursive: true, verbatimSymlinks: true })
      const binDir = join(hidden, 'installation', 'bin')
      const server = await startPostgres({ binDir })
      try {
        expect(server.binDir).toBe(asRoot ? join(server.root, 'installation', 'bin') : binDir)
        expect(await probe(server.url)).toMatchObject({ user: 'dust', database: 'dust_test' })
      } finally {
        await server.stop()
      }
      expect(existsSync(server.root)).toBe(false)
    } finally {
      rmSync(hidden, { recursive: true, force: true })
    }
  }, 120_000)

  it('stops the server and removes its folder when the process exits without stopping it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dust-pg-exit-'))
    try {
      const script = join(dir, 'exits.mts')
      writeFileSync(
        script,
        [
          `import { startPostgres } from ${JSON.stringify(pathToFileURL(join(import.meta.dirname, 'startPostgres.ts')).href)}`,
          'const server = await startPostgres()',
          'process.stdout.write(JSON.stringify({ url: server.url, root: server.root }))',
          // As a failing run does: exit with an error, stop never called.
          'process.exit(3)',
        ].join('\n'),
      )
      const exited = await run(process.execPath, ['--import', 'tsx', script], { cwd: dirname(import.meta.dirname) }).then(
        ({ stderr }) => ({ code: 0, stdout: '', stderr }),
        (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
      )
      expect({ code: exited.code, stderr: exited.stderr }).toEqual({ code: 3, stderr: '' })
      const { url, root } = JSON.parse(exited.stdout) as { url: string; root: string }
      expect(existsSync(root)).toBe(false)
      expect(await probe(url)).toEqual({ refused: 'ECONNREFUSED' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
