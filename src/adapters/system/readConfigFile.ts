import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import type { ReadConfigFileParameters } from '../../config/ConfigFiles.js'
import { formatBytes } from '../../config/formatBytes.js'
import { FileRefusedError } from '../../errors/index.js'
import { kindOf, refusal, resolveFileReference } from './resolveFileReference.js'

// The caps are the configuration's rules; they stay importable from here for the other readers (the keystore).
export { CONFIG_FILE_MAX_BYTES, REFERENCED_FILE_MAX_BYTES, type ReadConfigFileParameters } from '../../config/ConfigFiles.js'

/**
 * Reads a configuration file, or a file a configuration references, as UTF-8 text without
 * trusting it: the path is resolved and checked first (see `resolveFileReference`), the file is
 * opened without following a symbolic link and without blocking, checked again on the open
 * descriptor (a regular file, within `maxBytes`), and read up to the cap whatever its size says.
 *
 * Throws `FileRefusedError` naming the file and what was found (its kind, its size, the first
 * NUL byte of binary content), never what the file holds.
 */
export async function readConfigFile(parameters: ReadConfigFileParameters): Promise<string> {
  const { file, maxBytes } = parameters
  const real = await resolveFileReference({ file, roots: parameters.roots })
  // O_NONBLOCK: opening a FIFO swapped in after the check returns at once instead of waiting for a writer.
  const handle = await open(real, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW).catch((cause: NodeJS.ErrnoException) => {
    throw cause.code === 'ELOOP' ? new FileRefusedError(file, 'a symbolic link swapped in while it was checked') : refusal(file, cause)
  })
  let bytes: Buffer
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) throw new FileRefusedError(file, `${kindOf(stats)}, not a regular file`)
    if (stats.size > maxBytes) throw new FileRefusedError(file, `a file of ${stats.size} bytes, over the cap of ${formatBytes(maxBytes)}`)
    bytes = await readUpTo(handle, maxBytes + 1)
  } finally {
    await handle.close()
  }
  // The size on record can lie (a file growing while read); what counts is what came.
  if (bytes.length > maxBytes) throw new FileRefusedError(file, `a file of more than ${formatBytes(maxBytes)} (it grew while it was read)`)
  return decodeText(file, bytes)
}

async function readUpTo(handle: Awaited<ReturnType<typeof open>>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  while (total < limit) {
    const chunk = Buffer.alloc(Math.min(64 * 1024, limit - total))
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null)
    if (bytesRead === 0) break
    chunks.push(chunk.subarray(0, bytesRead))
    total += bytesRead
  }
  return Buffer.concat(chunks, total)
}

function decodeText(file: string, bytes: Buffer): string {
  const nul = bytes.indexOf(0)
  if (nul >= 0) {
    const before = bytes.subarray(0, nul)
    let line = 1
    for (const byte of before) if (byte === 0x0a) line += 1
    const column = nul - (before.lastIndexOf(0x0a) + 1) + 1
    throw new FileRefusedError(file, `binary content, not text (a NUL byte at line ${line}, column ${column})`)
  }
  try {
    // A byte order mark is dropped by the decoder, as YAML allows.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new FileRefusedError(file, 'bytes that are not UTF-8 text')
  }
}
