import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

/** A throwaway PostgreSQL server on loopback, with one database and a password-protected user. */
export type StartedPostgres = {
  /** `postgres://dust:<password>@127.0.0.1:<port>/dust_test`. */
  readonly url: string
  /** The folder holding the cluster, its log and its socket; removed by `stop`. */
  readonly root: string
  /** Stops the server and removes its folder. */
  stop(): Promise<void>
}

export type StartPostgresParameters = {
  /** The folder holding `initdb` and `pg_ctl`; found under /usr/lib/postgresql/<version>/bin or on PATH when not given. */
  readonly binDir?: string | undefined
}

/** Finds the folder holding `initdb` and `pg_ctl`: the newest /usr/lib/postgresql/<version>/bin, else PATH. */
export function findPostgresBinDir(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((name) => /^\d+$/.test(name))
        .sort((a, b) => Number(b) - Number(a))
    : []
  const candidates = [...versions.map((version) => join(base, version, 'bin')), ...(env.PATH ?? '').split(delimiter).filter((dir) => dir.length > 0)]
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')))
}

/** A free TCP port on 127.0.0.1, as the kernel hands it out (another process may take it before us: `startPostgres` retries). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('No port was assigned.'))))
    })
  })
}

/** PostgreSQL refuses to run as root: as root, commands run as the `postgres` user. */
function asServerUser(binDir: string, command: string, args: string[]): [string, string[]] {
  const program = join(binDir, command)
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args]
}

async function runServerCommand(binDir: string, command: string, args: string[]): Promise<void> {
  const [program, argv] = asServerUser(binDir, command, args)
  try {
    await run(program, argv, { cwd: tmpdir() })
  } catch (cause) {
    const failure = cause as { stderr?: string; stdout?: string; message: string }
    throw new Error(`${command} ${args.join(' ')} failed: ${(failure.stderr || failure.stdout || failure.message).trim()}`, { cause })
  }
}

/**
 * Starts a throwaway PostgreSQL server on 127.0.0.1 at a free port, with a data folder of its own
 * under the temporary folder: `initdb` (as the `postgres` user when run as root), `pg_ctl start`,
 * then a `dust` user with a random password (allowed to create databases, for tests that want
 * one of their own) and its `dust_test` database.
 */
export async function startPostgres(parameters: StartPostgresParameters = {}): Promise<StartedPostgres> {
  const binDir = parameters.binDir ?? findPostgresBinDir()
  if (!binDir) {
    throw new Error('PostgreSQL is not installed: no initdb and pg_ctl under /usr/lib/postgresql/*/bin nor on PATH. Install it (apt-get install -y postgresql) or set DATABASE_URL.')
  }
  const root = mkdtempSync(join(tmpdir(), 'dust-pg-'))
  const dataDir = join(root, 'data')
  const password = randomBytes(16).toString('hex')
  const pwfile = join(root, 'pwfile')
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres'])
    const { stdout: group } = await run('id', ['-g', 'postgres'])
    chownSync(root, Number(stdout.trim()), Number(group.trim()))
    chownSync(pwfile, Number(stdout.trim()), Number(group.trim()))
  }
  const stop = async (): Promise<void> => {
    if (existsSync(join(dataDir, 'postmaster.pid'))) await runServerCommand(binDir, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w'])
    rmSync(root, { recursive: true, force: true })
  }
  try {
    await runServerCommand(binDir, 'initdb', ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--locale=C'])
    rmSync(pwfile)
    let port = 0
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort()
      const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${root}`
      try {
        await runServerCommand(binDir, 'pg_ctl', ['start', '-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '60', '-o', options])
        break
      } catch (error) {
        if (attempt === 3) throw error
      }
    }
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' })
    await admin.connect()
    try {
      await admin.query(`CREATE ROLE dust LOGIN CREATEDB PASSWORD '${password}'`)
      await admin.query('CREATE DATABASE dust_test OWNER dust')
    } finally {
      await admin.end()
    }
    return { url: `postgres://dust:${password}@127.0.0.1:${port}/dust_test`, root, stop }
  } catch (error) {
    await stop().catch(() => undefined)
    throw error
  }
}

/** Stops a server started by `startPostgres` from another process, given its folder. */
export async function stopPostgres(root: string, binDir: string | undefined = findPostgresBinDir()): Promise<void> {
  const dataDir = join(root, 'data')
  if (binDir && existsSync(join(dataDir, 'postmaster.pid'))) await runServerCommand(binDir, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w'])
  rmSync(root, { recursive: true, force: true })
}

/** Single-quotes a value for a POSIX shell. */
function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}

// As a script (`tsx test/startPostgres.ts start|stop <root>`), for .ci/run: `start` prints the
// shell assignments of DATABASE_URL and DUST_PG_ROOT, and leaves the server running.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, root] = process.argv.slice(2)
  if (command === 'start') {
    const started = await startPostgres()
    process.stdout.write(`export DATABASE_URL=${shellQuote(started.url)}\nexport DUST_PG_ROOT=${shellQuote(started.root)}\n`)
  } else if (command === 'stop' && root) {
    await stopPostgres(root)
  } else {
    process.stderr.write('usage: tsx test/startPostgres.ts start | stop <root>\n')
    process.exitCode = 2
  }
}
