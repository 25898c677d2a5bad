import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileRefusedError } from '../../errors/index.js'
import { kindOf, refusal, resolveFileReference } from './resolveFileReference.js'

let dir: string
let inside: string
const roots = () => [{ path: inside, name: "the configuration's folder" }]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dust-resolve-'))
  inside = join(dir, 'inside')
  await mkdir(join(inside, 'sub'), { recursive: true })
  await writeFile(join(inside, 'sub', 'data.yaml'), 'a: 1\n')
  await writeFile(join(dir, 'outside.yaml'), 'a: 1\n')
  await symlink(join(dir, 'outside.yaml'), join(inside, 'out-link.yaml'))
  await symlink(join(inside, 'sub', 'data.yaml'), join(inside, 'in-link.yaml'))
  await symlink(join(inside, 'loop-b'), join(inside, 'loop-a'))
  await symlink(join(inside, 'loop-a'), join(inside, 'loop-b'))
  execFileSync('mkfifo', [join(inside, 'pipe')])
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The reason `resolveFileReference` refuses `file` with. */
async function reasonFor(file: string, mayBeMissing = false): Promise<string> {
  const error = await resolveFileReference({ file, roots: roots(), mayBeMissing }).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(FileRefusedError)
  expect((error as FileRefusedError).file).toBe(file)
  expect((error as FileRefusedError).code).toBe('file_refused')
  return (error as FileRefusedError).reason
}

describe('resolveFileReference', () => {
  it('returns the real path of a regular file inside the roots, through a link that stays inside', async () => {
    expect(await resolveFileReference({ file: join(inside, 'sub', '..', 'sub', 'data.yaml'), roots: roots() })).toBe(join(inside, 'sub', 'data.yaml'))
    expect(await resolveFileReference({ file: join(inside, 'in-link.yaml'), roots: roots() })).toBe(join(inside, 'sub', 'data.yaml'))
  })

  it('refuses paths that lead outside the roots: ../, an absolute path, a link', async () => {
    const outside = join(dir, 'outside.yaml')
    expect(await reasonFor(join(inside, '..', 'outside.yaml'))).toBe(`a path that leads outside the configuration's folder (${inside}): to ${outside}`)
    expect(await reasonFor(outside)).toBe(`a path that leads outside the configuration's folder (${inside}): to ${outside}`)
    expect(await reasonFor(join(inside, 'out-link.yaml'))).toBe(`a path that leads outside the configuration's folder (${inside}): to ${outside}`)
  })

  it('accepts a file in any of several roots, and names each when it is in none', async () => {
    const both = [...roots(), { path: join(dir, 'missing-root'), name: 'DUST_SECRETS_DIR' }]
    const error = (await resolveFileReference({ file: join(dir, 'outside.yaml'), roots: both }).catch((caught: unknown) => caught)) as FileRefusedError
    expect(error.reason).toBe(
      `a path that leads outside the configuration's folder (${inside}) or DUST_SECRETS_DIR (${join(dir, 'missing-root')}, which does not exist): to ${join(dir, 'outside.yaml')}`,
    )
    expect(await resolveFileReference({ file: join(dir, 'outside.yaml'), roots: [...roots(), { path: dir, name: 'DUST_SECRETS_DIR' }] })).toBe(join(dir, 'outside.yaml'))
  })

  it('refuses what is not a regular file, without opening it', async () => {
    expect(await reasonFor(join(inside, 'pipe'))).toBe('a FIFO (named pipe), not a regular file')
    expect(await reasonFor(join(inside, 'sub'))).toBe('a folder, not a regular file')
    expect(await resolveFileReference({ file: '/dev/null' }).catch((error: FileRefusedError) => error.reason)).toBe('a character device, not a regular file')
  })

  it('refuses a Unix socket, naming it as one', async () => {
    const socket = join(inside, 'control.sock')
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(socket, resolve))
    try {
      expect(await reasonFor(socket)).toBe('a socket, not a regular file')
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('refuses a path with a NUL byte by the error code Node gives it', async () => {
    expect(await reasonFor(join(inside, 'data\0.yaml'))).toBe('an error of the file system (ERR_INVALID_ARG_VALUE)')
  })

  it('says "a regular file" of a regular file, and names an error without a code as unknown', async () => {
    expect(kindOf(await stat(join(inside, 'sub', 'data.yaml')))).toBe('a regular file')
    expect(refusal('data.yaml', new Error('The disk went away.'))).toMatchObject({ name: 'FileRefusedError', code: 'file_refused', file: 'data.yaml', reason: 'an error of the file system (unknown)' })
  })

  it('refuses the kernel pseudo-filesystems even where no root is given', async () => {
    const reason = await resolveFileReference({ file: '/proc/self/environ' }).catch((error: FileRefusedError) => error.reason)
    expect(reason).toMatch(/^a file of the kernel's \/proc pseudo-filesystem \(\/proc\/\d+\/environ\)$/)
    expect(await resolveFileReference({ file: '/sys/kernel/mm' }).catch((error: FileRefusedError) => error.reason)).toBe("a file of the kernel's /sys pseudo-filesystem (/sys/kernel/mm)")
  })

  it('names missing files and link loops by their error code', async () => {
    expect(await reasonFor(join(inside, 'nope.yaml'))).toBe('no such file')
    expect(await reasonFor(join(inside, 'loop-a'))).toBe('a loop of symbolic links (ELOOP)')
  })

  it('accepts a file still to be created inside the roots, and checks where it would land', async () => {
    expect(await resolveFileReference({ file: join(inside, 'var', 'db', 'events.db'), roots: roots(), mayBeMissing: true })).toBe(join(inside, 'var', 'db', 'events.db'))
    expect(await reasonFor(join(inside, '..', 'var', 'events.db'), true)).toBe(`a path that leads outside the configuration's folder (${inside}): to ${join(dir, 'var', 'events.db')}`)
  })
})
