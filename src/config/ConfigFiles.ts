/** A folder files may come from, with the name messages give it. */
export type FileRoot = {
  /** The folder (symbolic links in it are resolved before comparing). */
  path: string
  /** How messages name it: `the configuration's folder`, `DUST_SECRETS_DIR`. */
  name: string
}

/** Largest configuration file read: 1 MiB. */
export const CONFIG_FILE_MAX_BYTES = 1024 * 1024

/** Largest file a configuration references (balances, prices, equity, merkle claims, keystore): 16 MiB. */
export const REFERENCED_FILE_MAX_BYTES = 16 * 1024 * 1024

export type ReadConfigFileParameters = {
  /** Absolute path of the file. */
  file: string
  /** Largest size accepted, in bytes; a larger file is refused before any byte is read. */
  maxBytes: number
  /** Folders the file must lie in once symbolic links are resolved; anywhere when absent. */
  roots?: readonly FileRoot[] | undefined
}

export type ResolveFileReferenceParameters = {
  /** Absolute path of the file, as given (it may go through symbolic links). */
  file: string
  /** Folders the file must lie in once every symbolic link is resolved; anywhere when absent. */
  roots?: readonly FileRoot[] | undefined
  /** Accepts a file that does not exist yet (a database the program creates), still inside the roots. */
  mayBeMissing?: boolean | undefined
}

/**
 * How the configuration reaches the files it references: reading them is an adapter's job
 * (`adapters/system`), so the configuration checks stay free of I/O. Both throw
 * `FileRefusedError` for a file that must not be read.
 */
export type ConfigFiles = {
  /** Reads a file as UTF-8 text, refusing what is not a regular text file within the cap and the roots. */
  read(parameters: ReadConfigFileParameters): Promise<string>
  /** Resolves a file reference to its real path, refusing one outside the roots or not a regular file. */
  resolve(parameters: ResolveFileReferenceParameters): Promise<string>
}
