import { resolve } from 'node:path'
import { type LocalAccount, isHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { ConfigError, type ConfigIssue, FileRefusedError } from '../../errors/index.js'
import { REFERENCED_FILE_MAX_BYTES, readConfigFile } from '../system/readConfigFile.js'
import type { FileRoot } from '../system/resolveFileReference.js'

/** Signs with a private key held in an environment variable. */
export type PrivateKeyEnvSignerSettings = {
  /** Name of the environment variable holding the 0x-prefixed 32-byte hex key, e.g. `DUST_PRIVATE_KEY`. */
  private_key_env: string
  keystore_file?: undefined
  keystore_password_env?: undefined
}

/** Signs with the key of an encrypted Ethereum keystore (version 3 JSON, as geth, Foundry and ethers write). */
export type KeystoreSignerSettings = {
  /** Path of the keystore file, relative to the working directory unless absolute. */
  keystore_file: string
  /** Name of the environment variable holding the keystore's password. */
  keystore_password_env: string
  private_key_env?: undefined
}

export type LoadSignerParameters = (PrivateKeyEnvSignerSettings | KeystoreSignerSettings) & {
  /** Environment to read the key or password from; defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined
  /** The configuration file these settings came from, named in errors (default `signer settings`). */
  file?: string | undefined
  /** Folders the keystore file must lie in once symbolic links are resolved (the configuration's, DUST_SECRETS_DIR); anywhere when absent. */
  roots?: readonly FileRoot[] | undefined
}

export type LoadSignerReturnType = LocalAccount

/**
 * Returns the account that signs live transactions, from a private key in an environment
 * variable or from an encrypted keystore file whose password is in an environment variable.
 *
 * The key and the password never reach a message: a `ConfigError` names the variable or the
 * file and says what was expected and what was found, in lengths and kinds, never in content.
 * Decrypting a keystore takes as long as its key-derivation settings ask (a few seconds for geth's).
 */
export async function loadSigner(parameters: LoadSignerParameters): Promise<LoadSignerReturnType> {
  const env = parameters.env ?? process.env
  const fail = (issue: ConfigIssue): never => {
    throw new ConfigError(parameters.file ?? 'signer settings', [issue])
  }
  const { private_key_env: keyEnv, keystore_file: keystoreFile, keystore_password_env: passwordEnv } = parameters

  if (keyEnv !== undefined && keystoreFile !== undefined) {
    return fail({ path: '', expected: 'either private_key_env or keystore_file, not both', found: 'both' })
  }
  if (keyEnv !== undefined) {
    const value = env[keyEnv]
    if (value === undefined) return fail({ path: 'private_key_env', expected: `${keyEnv} to hold a 0x-prefixed 32-byte hex private key`, found: `${keyEnv} is not set` })
    return accountOf(value, (found) => fail({ path: 'private_key_env', expected: `${keyEnv} to be a 0x-prefixed 32-byte hex private key (66 characters)`, found }))
  }
  if (keystoreFile === undefined) {
    return fail({ path: '', expected: 'private_key_env, or keystore_file with keystore_password_env', found: 'neither' })
  }
  if (passwordEnv === undefined) {
    return fail({ path: 'keystore_password_env', expected: `the name of the environment variable holding the password of ${keystoreFile}`, found: 'nothing' })
  }
  const password = env[passwordEnv]
  // An empty password is a valid keystore password; only an unset variable is refused.
  if (password === undefined) {
    return fail({ path: 'keystore_password_env', expected: `${passwordEnv} to hold the password of keystore file ${keystoreFile}`, found: `${passwordEnv} is not set` })
  }

  const expectedKeystore = `keystore file ${keystoreFile} to be an Ethereum keystore (version 3 JSON)`
  let json: string
  try {
    // Read as untrusted: a regular file within the roots and the size cap, never a FIFO or a device.
    json = await readConfigFile({ file: resolve(keystoreFile), maxBytes: REFERENCED_FILE_MAX_BYTES, roots: parameters.roots })
  } catch (cause) {
    if (!(cause instanceof FileRefusedError)) throw cause
    return fail({ path: 'keystore_file', expected: `a readable ${expectedKeystore}`, found: cause.reason })
  }
  // ethers is loaded only here, for a keystore: a key from the environment needs none of it, and
  // loading it takes about 0.2 s of every start.
  const { decryptKeystoreJson, isKeystoreJson } = await import('ethers/wallet')
  // The file's content is not shown: a corrupt file could hold anything, a key included.
  if (!isKeystoreJson(json)) {
    let isJson = true
    try {
      JSON.parse(json)
    } catch {
      isJson = false
    }
    return fail({ path: 'keystore_file', expected: expectedKeystore, found: isJson ? 'JSON without "version": 3' : 'a file that is not JSON' })
  }
  const costly = costlyKeyDerivation(json)
  if (costly !== undefined) {
    return fail({ path: 'keystore_file', expected: `keystore file ${keystoreFile} to use key-derivation settings of at most ${KDF_LIMITS}`, found: costly })
  }
  let privateKey: string
  try {
    privateKey = (await decryptKeystoreJson(json, password)).privateKey
  } catch (cause) {
    // ethers says "incorrect password" when the MAC does not match, which a damaged ciphertext or
    // MAC causes as well; its other short messages name an unsupported cipher or setting and hold
    // no values. Errors from below ethers (noble's) may quote the decrypted key, so neither their
    // message nor the error itself (as a cause) is kept.
    const reason = typeof cause === 'object' && cause !== null && 'shortMessage' in cause ? cause.shortMessage : undefined
    const why = reason === 'incorrect password' ? 'wrong password or corrupt file' : typeof reason === 'string' ? reason : 'unsupported key-derivation settings or an invalid key'
    return fail({
      path: 'keystore_file',
      expected: `keystore file ${keystoreFile} to decrypt with the password in ${passwordEnv}`,
      found: `keystore file ${keystoreFile} could not be decrypted: ${why}`,
    })
  }
  return accountOf(privateKey, (found) => fail({ path: 'keystore_file', expected: `keystore file ${keystoreFile} to hold a valid secp256k1 private key`, found }))
}

/** The most work a keystore may ask for: geth's "standard" scrypt is n 262144, r 8, p 1; ethers' pbkdf2 default is 262144 rounds. */
const KDF_MAX = { n: 2 ** 20, r: 16, p: 16, c: 10_000_000 } as const
const KDF_LIMITS = `scrypt n ${KDF_MAX.n}, r ${KDF_MAX.r}, p ${KDF_MAX.p}, or pbkdf2 ${KDF_MAX.c} rounds`

/**
 * Says which key-derivation setting of a keystore asks for more work than `KDF_MAX` (a hostile
 * file can ask for hours of CPU or gigabytes of memory), or nothing when they are reasonable.
 */
function costlyKeyDerivation(json: string): string | undefined {
  const parsed: unknown = JSON.parse(json)
  if (typeof parsed !== 'object' || parsed === null) return undefined
  const crypto = ('crypto' in parsed ? parsed.crypto : undefined) ?? ('Crypto' in parsed ? parsed.Crypto : undefined)
  const params = typeof crypto === 'object' && crypto !== null && 'kdfparams' in crypto ? crypto.kdfparams : undefined
  if (params === null || typeof params !== 'object') return undefined
  for (const [name, max] of Object.entries(KDF_MAX)) {
    const value: unknown = Object.getOwnPropertyDescriptor(params, name)?.value
    if (typeof value === 'number' && value > max) return `${name} = ${value}`
  }
  return undefined
}

/**
 * Builds the account of a hex private key, or calls `fail` with a description of what was found
 * that tells its length and kind but none of its characters.
 */
function accountOf(value: string, fail: (found: string) => never): LocalAccount {
  // A trailing newline is what `export KEY=$(cat key.txt)` and most secret stores leave behind.
  const key = value.trim()
  if (key.length === 0) return fail(value.length === 0 ? 'an empty value' : 'only whitespace')
  if (!isHex(key) || key.length !== 66) {
    if (/^[0-9a-fA-F]{64}$/.test(key)) return fail('64 hex digits without the 0x prefix')
    if (/^0x[0-9a-fA-F]*$/.test(key)) return fail(`${key.length} characters`)
    return fail(`${key.length} characters, not all of them hex digits`)
  }
  try {
    return privateKeyToAccount(key)
  } catch {
    // The library's message may quote the key, so only the kind of problem is kept.
    return fail('a key outside the secp256k1 range (zero, or not below the curve order)')
  }
}
