import { execFileSync } from 'node:child_process'
import { mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FileRefusedError } from '../../errors/index.js'
import { CONFIG_FILE_MAX_BYTES, readConfigFile } from './readConfigFile.js'

let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dust-read-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, content)
  return file
}

/** The reason `readConfigFile` refuses `file` with. */
async function reasonFor(file: string, maxBytes = CONFIG_FILE_MAX_BYTES): Promise<string> {
  const error = await readConfigFile({ file, maxBytes }).catch((caught: unknown) => caught)
  expect(error).toBeInstanceOf(FileRefusedError)
  return (error as FileRefusedError).reason
}

describe('readConfigFile', () => {
  it('reads a UTF-8 file, without its byte order mark', async () => {
    expect(await readConfigFile({ file: await fileWith('plain.yaml', 'mode: été\n'), maxBytes: 100 })).toBe('mode: été\n')
    expect(await readConfigFile({ file: await fileWith('bom.yaml', '\uFEFFmode: x\n'), maxBytes: 100 })).toBe('mode: x\n')
    expect(await readConfigFile({ file: await fileWith('empty.yaml', ''), maxBytes: 100 })).toBe('')
  })

  it('reads a file of exactly the cap, and refuses one byte more before reading it', async () => {
    expect(await readConfigFile({ file: await fileWith('ten.yaml', 'a: 123456\n'), maxBytes: 10 })).toBe('a: 123456\n')
    expect(await reasonFor(await fileWith('eleven.yaml', 'a: 1234567\n'), 10)).toBe('a file of 11 bytes, over the cap of 10 bytes')
    const huge = await fileWith('huge.yaml', '')
    await truncate(huge, 5 * 1024 * 1024 * 1024)
    expect(await reasonFor(huge)).toBe('a file of 5368709120 bytes, over the cap of 1 MiB')
  })

  it('refuses binary content, naming where the first NUL byte is', async () => {
    expect(await reasonFor(await fileWith('nul.yaml', Buffer.from('a: 1\nbb: \u0000\n')))).toBe('binary content, not text (a NUL byte at line 2, column 5)')
    expect(await reasonFor(await fileWith('latin1.yaml', Buffer.from([0x61, 0x3a, 0x20, 0xe9, 0x0a])))).toBe('bytes that are not UTF-8 text')
  })

  it('refuses a FIFO at once, and a folder, a device and /proc', async () => {
    const fifo = join(dir, 'pipe.yaml')
    execFileSync('mkfifo', [fifo])
    expect(await reasonFor(fifo)).toBe('a FIFO (named pipe), not a regular file')
    expect(await reasonFor(dir)).toBe('a folder, not a regular file')
    expect(await reasonFor('/dev/zero')).toBe('a character device, not a regular file')
    expect(await reasonFor('/proc/self/status')).toMatch(/^a file of the kernel's \/proc pseudo-filesystem/)
  })

  it('reads through a link inside its roots and refuses one that leads out', async () => {
    const target = await fileWith('target.yaml', 'a: 1\n')
    const link = join(dir, 'link.yaml')
    await symlink(target, link)
    expect(await readConfigFile({ file: link, maxBytes: 100, roots: [{ path: dir, name: 'here' }] })).toBe('a: 1\n')
    const error = (await readConfigFile({ file: link, maxBytes: 100, roots: [{ path: join(dir, 'sub'), name: 'sub' }] }).catch((caught: unknown) => caught)) as FileRefusedError
    expect(error.reason).toBe(`a path that leads outside sub (${join(dir, 'sub')}, which does not exist): to ${target}`)
  })
})
