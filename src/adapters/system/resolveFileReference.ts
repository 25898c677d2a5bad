import { realpath, stat } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path'
import type { Stats } from 'node:fs'
import type { ResolveFileReferenceParameters } from '../../config/ConfigFiles.js'
import { FileRefusedError } from '../../errors/index.js'

export type { FileRoot, ResolveFileReferenceParameters } from '../../config/ConfigFiles.js'

/** Kernel pseudo-filesystems: their files say they are regular and empty, yet hold the process's environment or memory. */
const PSEUDO_FILESYSTEMS = ['/proc', '/sys']

/**
 * Resolves a file reference to its real path and refuses what must not be read: a path that
 * leads outside the roots (through `..`, an absolute path or a symbolic link), a file of the
 * kernel's /proc or /sys, and anything but a regular file (a folder, a FIFO, a device, a socket).
 *
 * Nothing is opened: `stat` never blocks on a FIFO.
 */
export async function resolveFileReference(parameters: ResolveFileReferenceParameters): Promise<string> {
  const { file } = parameters
  const real = await realPathOf(file, parameters.mayBeMissing === true)
  const pseudo = PSEUDO_FILESYSTEMS.find((root) => real === root || real.startsWith(`${root}/`))
  if (pseudo !== undefined) throw new FileRefusedError(file, `a file of the kernel's ${pseudo} pseudo-filesystem (${real})`)
  if (parameters.roots !== undefined) {
    const roots = await Promise.all(parameters.roots.map(async (root) => ({ ...root, real: await realpath(root.path).catch(() => undefined) })))
    if (!roots.some((root) => root.real !== undefined && isInside(real, root.real))) {
      const names = roots.map((root) => `${root.name} (${root.path}${root.real === undefined ? ', which does not exist' : ''})`).join(' or ')
      throw new FileRefusedError(file, `a path that leads outside ${names}: to ${real}`)
    }
  }
  const stats = await stat(real).catch((cause: NodeJS.ErrnoException) => {
    if (cause.code === 'ENOENT' && parameters.mayBeMissing) return undefined
    throw refusal(file, cause)
  })
  if (stats !== undefined && !stats.isFile()) throw new FileRefusedError(file, `${kindOf(stats)}, not a regular file`)
  return real
}

/** Says what a file system entry is, for messages. */
export function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder'
  if (stats.isFIFO()) return 'a FIFO (named pipe)'
  if (stats.isCharacterDevice()) return 'a character device'
  if (stats.isBlockDevice()) return 'a block device'
  if (stats.isSocket()) return 'a socket'
  return 'a regular file'
}

/** Turns an error of the file system into a refusal that names its code, never a content. */
export function refusal(file: string, cause: NodeJS.ErrnoException): FileRefusedError {
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'a file this user may not read (EACCES)',
    EPERM: 'a file this user may not read (EPERM)',
    ELOOP: 'a loop of symbolic links (ELOOP)',
    ENOTDIR: 'a path through something that is not a folder (ENOTDIR)',
    ENAMETOOLONG: 'a path too long for the file system (ENAMETOOLONG)',
    EISDIR: 'a folder, not a regular file',
  }
  return new FileRefusedError(file, reasons[cause.code ?? ''] ?? `an error of the file system (${cause.code ?? 'unknown'})`)
}

/** Whether a thrown value is an error of the system (it has a `code` such as ENOENT). */
function isErrnoException(value: unknown): value is NodeJS.ErrnoException {
  return value instanceof Error && 'code' in value
}

function isInside(path: string, root: string): boolean {
  const rest = relative(root, path)
  return rest === '' || (!rest.startsWith(`..${sep}`) && rest !== '..' && !isAbsolute(rest))
}

async function realPathOf(file: string, mayBeMissing: boolean): Promise<string> {
  try {
    return await realpath(file)
  } catch (cause) {
    if (!isErrnoException(cause)) throw cause
    if (cause.code !== 'ENOENT' || !mayBeMissing) throw refusal(file, cause)
  }
  // A file still to be created: the real path of its closest existing folder, then the rest as written.
  const missing: string[] = []
  let folder = file
  for (;;) {
    missing.unshift(basename(folder))
    const parent = dirname(folder)
    if (parent === folder) return file
    folder = parent
    try {
      return join(await realpath(folder), ...missing)
    } catch (cause) {
      if (!isErrnoException(cause)) throw cause
      if (cause.code !== 'ENOENT') throw refusal(file, cause)
    }
  }
}
