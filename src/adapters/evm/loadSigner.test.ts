import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inspect } from 'node:util'
import { encryptKeystoreJsonSync } from 'ethers/wallet'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../../errors/index.js'
import { type LoadSignerParameters, loadSigner } from './loadSigner.js'

// Hardhat's first development account: a public test key that holds nothing of value.
const KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'
const ADDRESS = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266'
const PASSWORD = 'correct horse battery staple'

// The test vectors of the Web3 Secret Storage definition (version 3), password "testpassword".
const SPEC_PASSWORD = 'testpassword'
const SPEC_KEY = '0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d'
const SPEC_ADDRESS = '0x008AeEda4D805471dF9b2A5B0f38A0C3bCBA786b'
const SPEC_PBKDF2 = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '6087dab2f9fdbbfaddc31a909735c1e6' },
    ciphertext: '5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46',
    kdf: 'pbkdf2',
    kdfparams: { c: 262144, dklen: 32, prf: 'hmac-sha256', salt: 'ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd' },
    mac: '517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
}
// Its scrypt vector uses r = 1, which the scrypt ethers relies on refuses for N = 2^18.
const SPEC_SCRYPT_R1 = {
  crypto: {
    cipher: 'aes-128-ctr',
    cipherparams: { iv: '83dbcc02d8ccb40e466191a123791e0e' },
    ciphertext: 'd172bf743a674da9cdad04534d56926ef8358534d458fffccd4e6ad2fbde479c',
    kdf: 'scrypt',
    kdfparams: { dklen: 32, n: 262144, p: 8, r: 1, salt: 'ab0c7876052600dd703518d6fc3fe8984592145b591fc8fb5c6d43190334ba19' },
    mac: '2103ac29920d71da29f15d75b4a16dbe95cfd7ff8faea1056c33131d846e3097',
  },
  id: '3198bc9c-6672-5ab3-d995-4942343ae5b6',
  version: 3,
}

const dir = mkdtempSync(join(tmpdir(), 'loadSigner-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
afterEach(() => vi.unstubAllEnvs())

/** Writes a file in the test's directory and returns its path. */
function fixtureFile(name: string, content: string): string {
  const file = join(dir, name)
  writeFileSync(file, content)
  return file
}

// A cheap scrypt (N = 16 instead of 2^17) keeps the test fast; the format is the same.
const keystoreFile = fixtureFile('keystore.json', encryptKeystoreJsonSync({ address: ADDRESS, privateKey: KEY }, PASSWORD, { scrypt: { N: 16 } }))

/** Returns the ConfigError `loadSigner` raises, after checking that no secret appears anywhere in it. */
async function configErrorOf(parameters: LoadSignerParameters, secrets: readonly string[]): Promise<ConfigError> {
  const error = await loadSigner(parameters).then(
    () => expect.unreachable('loadSigner should have failed'),
    (error: unknown) => error,
  )
  expect(error).toBeInstanceOf(ConfigError)
  // inspect shows the message, the stack, every own field (issues included) and the cause chain.
  const everything = `${inspect(error, { depth: Number.POSITIVE_INFINITY })}\n${JSON.stringify(error)}`.toLowerCase()
  for (const secret of secrets) {
    expect(everything).not.toContain(secret.toLowerCase())
    if (/^0x[0-9a-f]{64}$/i.test(secret)) {
      expect(everything).not.toContain(secret.slice(2).toLowerCase())
      // noble quotes an out-of-range key in decimal; a short decimal (zero) would match anything.
      const decimal = BigInt(secret).toString()
      if (decimal.length > 8) expect(everything).not.toContain(decimal)
    }
  }
  return error as ConfigError
}

describe('loadSigner from a private key in the environment', () => {
  it('returns the account of the key', async () => {
    const account = await loadSigner({ private_key_env: 'DUST_PRIVATE_KEY', env: { DUST_PRIVATE_KEY: KEY } })
    expect(account.address).toBe(ADDRESS)
    expect(account.type).toBe('local')
    expect(await account.signMessage({ message: 'dust' })).toMatch(/^0x[0-9a-f]{130}$/)
  })

  it('ignores the whitespace a secret store or $(cat file) leaves around the key', async () => {
    const account = await loadSigner({ private_key_env: 'DUST_PRIVATE_KEY', env: { DUST_PRIVATE_KEY: ` ${KEY}\n` } })
    expect(account.address).toBe(ADDRESS)
  })

  it('reads process.env when no environment is given', async () => {
    vi.stubEnv('DUST_TEST_SIGNER_KEY', KEY)
    expect((await loadSigner({ private_key_env: 'DUST_TEST_SIGNER_KEY' })).address).toBe(ADDRESS)
  })

  it('names the variable when it is not set', async () => {
    const error = await configErrorOf({ private_key_env: 'DUST_PRIVATE_KEY', env: {}, file: 'configs/live.yaml' }, [])
    expect(error.code).toBe('invalid_config')
    expect(error.file).toBe('configs/live.yaml')
    expect(error.issues).toEqual([{ path: 'private_key_env', expected: 'DUST_PRIVATE_KEY to hold a 0x-prefixed 32-byte hex private key', found: 'DUST_PRIVATE_KEY is not set' }])
    expect(error.message).toBe(
      'Invalid configuration in configs/live.yaml (1 problem).\n' +
        '  configs/live.yaml private_key_env: expected DUST_PRIVATE_KEY to hold a 0x-prefixed 32-byte hex private key, found DUST_PRIVATE_KEY is not set',
    )
  })

  it.each([
    ['a short hex value', '0x1234567890', 'found 12 characters'],
    ['a value that is not hex', 'hunter2hunter', 'found 13 characters, not all of them hex digits'],
    ['a key without its 0x prefix', KEY.slice(2), 'found 64 hex digits without the 0x prefix'],
    ['a key with one digit too many', `${KEY}0`, 'found 67 characters'],
    ['an empty value', '', 'found an empty value'],
    ['only whitespace', '  \n', 'found only whitespace'],
  ])('says what it found in %s, without showing it', async (_, value, found) => {
    const secrets = value.trim().length > 0 ? [value.trim()] : []
    const error = await configErrorOf({ private_key_env: 'DUST_PRIVATE_KEY', env: { DUST_PRIVATE_KEY: value } }, secrets)
    expect(error.message).toContain('expected DUST_PRIVATE_KEY to be a 0x-prefixed 32-byte hex private key (66 characters), ')
    expect(error.message).toContain(found)
  })

  it.each([
    ['zero', `0x${'00'.repeat(32)}`],
    ['the curve order', '0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141'],
  ])('refuses a key equal to %s without quoting it, in hex or in decimal', async (_, value) => {
    const error = await configErrorOf({ private_key_env: 'DUST_PRIVATE_KEY', env: { DUST_PRIVATE_KEY: value } }, [value])
    expect(error.message).toContain('found a key outside the secp256k1 range (zero, or not below the curve order)')
    expect(error.cause).toBeUndefined()
  })
})

describe('loadSigner from a keystore file', () => {
  const env = { DUST_KEYSTORE_PASSWORD: PASSWORD }

  it('decrypts a keystore written by ethers to the account of its key', async () => {
    const account = await loadSigner({ keystore_file: keystoreFile, keystore_password_env: 'DUST_KEYSTORE_PASSWORD', env })
    expect(account.address).toBe(ADDRESS)
  })

  it('decrypts the PBKDF2 test vector of the Web3 Secret Storage definition', async () => {
    const file = fixtureFile('spec-pbkdf2.json', JSON.stringify(SPEC_PBKDF2))
    const account = await loadSigner({ keystore_file: file, keystore_password_env: 'PW', env: { PW: SPEC_PASSWORD } })
    expect(account.address).toBe(SPEC_ADDRESS)
  })

  it('says a wrong password or a corrupt file stopped decryption, showing neither password nor key', async () => {
    const error = await configErrorOf({ keystore_file: keystoreFile, keystore_password_env: 'DUST_KEYSTORE_PASSWORD', env: { DUST_KEYSTORE_PASSWORD: 'not the password' } }, [
      'not the password',
      PASSWORD,
      KEY,
    ])
    expect(error.file).toBe('signer settings')
    expect(error.issues).toEqual([
      {
        path: 'keystore_file',
        expected: `keystore file ${keystoreFile} to decrypt with the password in DUST_KEYSTORE_PASSWORD`,
        found: `keystore file ${keystoreFile} could not be decrypted: wrong password or corrupt file`,
      },
    ])
    expect(error.cause).toBeUndefined()

    const corrupt = structuredClone(SPEC_PBKDF2)
    corrupt.crypto.mac = `${corrupt.crypto.mac.slice(0, -1)}0`
    const file = fixtureFile('corrupt.json', JSON.stringify(corrupt))
    const corruptError = await configErrorOf({ keystore_file: file, keystore_password_env: 'PW', env: { PW: SPEC_PASSWORD } }, [SPEC_PASSWORD, SPEC_KEY])
    expect(corruptError.message).toContain(`keystore file ${file} could not be decrypted: wrong password or corrupt file`)
  })

  it('says when the scrypt settings of a keystore are refused', async () => {
    const file = fixtureFile('spec-scrypt-r1.json', JSON.stringify(SPEC_SCRYPT_R1))
    const error = await configErrorOf({ keystore_file: file, keystore_password_env: 'PW', env: { PW: SPEC_PASSWORD } }, [SPEC_PASSWORD, SPEC_KEY])
    expect(error.message).toContain(`keystore file ${file} could not be decrypted: unsupported key-derivation settings or an invalid key`)
  })

  it('names the password variable when it is not set, and accepts an empty password', async () => {
    const error = await configErrorOf({ keystore_file: keystoreFile, keystore_password_env: 'DUST_KEYSTORE_PASSWORD', env: {} }, [])
    expect(error.message).toContain(`expected DUST_KEYSTORE_PASSWORD to hold the password of keystore file ${keystoreFile}, found DUST_KEYSTORE_PASSWORD is not set`)

    const file = fixtureFile('empty-password.json', encryptKeystoreJsonSync({ address: ADDRESS, privateKey: KEY }, '', { scrypt: { N: 16 } }))
    expect((await loadSigner({ keystore_file: file, keystore_password_env: 'PW', env: { PW: '' } })).address).toBe(ADDRESS)
  })

  it('says when the file is missing, and when it is not a keystore, without showing its content', async () => {
    const missing = join(dir, 'missing.json')
    const missingError = await configErrorOf({ keystore_file: missing, keystore_password_env: 'DUST_KEYSTORE_PASSWORD', env }, [PASSWORD])
    expect(missingError.message).toContain(`keystore_file: expected a readable keystore file ${missing} to be an Ethereum keystore (version 3 JSON), found no such file`)

    // A raw key file given where a keystore was expected: its content is a secret too.
    const rawKey = fixtureFile('raw-key.txt', `${KEY}\n`)
    const rawError = await configErrorOf({ keystore_file: rawKey, keystore_password_env: 'DUST_KEYSTORE_PASSWORD', env }, [PASSWORD, KEY])
    expect(rawError.message).toContain('found a file that is not JSON')

    const v1 = fixtureFile('v1.json', JSON.stringify({ version: 1, Crypto: {} }))
    const v1Error = await configErrorOf({ keystore_file: v1, keystore_password_env: 'DUST_KEYSTORE_PASSWORD', env }, [PASSWORD])
    expect(v1Error.message).toContain('found JSON without "version": 3')
  })
})

describe('loadSigner reads the keystore as untrusted input', () => {
  it('refuses a keystore outside its roots, a FIFO and a folder, without reading them', async () => {
    const inside = join(dir, 'inside')
    mkdirSync(inside, { recursive: true })
    const roots = [{ path: inside, name: "the configuration's folder" }]
    const outside = await configErrorOf({ keystore_file: keystoreFile, keystore_password_env: 'PW', env: { PW: PASSWORD }, roots }, [PASSWORD, KEY])
    expect(outside.issues).toEqual([
      {
        path: 'keystore_file',
        expected: `a readable keystore file ${keystoreFile} to be an Ethereum keystore (version 3 JSON)`,
        found: `a path that leads outside the configuration's folder (${inside}): to ${keystoreFile}`,
      },
    ])
    const fifo = join(inside, 'keystore.fifo')
    execFileSync('mkfifo', [fifo])
    const fifoError = await configErrorOf({ keystore_file: fifo, keystore_password_env: 'PW', env: { PW: PASSWORD }, roots }, [PASSWORD])
    expect(fifoError.issues[0]?.found).toBe('a FIFO (named pipe), not a regular file')
    const folder = await configErrorOf({ keystore_file: inside, keystore_password_env: 'PW', env: { PW: PASSWORD }, roots }, [PASSWORD])
    expect(folder.issues[0]?.found).toBe('a folder, not a regular file')
  })

  it('passes on the reason a keystore without its crypto section cannot be decrypted, showing no value', async () => {
    // ethers finds no key-derivation function to name; its reason holds no value from the file.
    const { crypto: _crypto, ...bare } = SPEC_PBKDF2
    const file = fixtureFile('no-crypto.json', JSON.stringify(bare))
    const error = await configErrorOf({ keystore_file: file, keystore_password_env: 'PW', env: { PW: SPEC_PASSWORD } }, [SPEC_PASSWORD, SPEC_KEY])
    expect(error.issues).toEqual([
      { path: 'keystore_file', expected: `keystore file ${file} to decrypt with the password in PW`, found: `keystore file ${file} could not be decrypted: unsupported key-derivation function` },
    ])
  })

  it('refuses key-derivation settings that would take hours or gigabytes, before deriving anything', async () => {
    const costly = structuredClone(SPEC_PBKDF2)
    costly.crypto.kdfparams.c = 2 ** 31
    const file = fixtureFile('costly.json', JSON.stringify(costly))
    const error = await configErrorOf({ keystore_file: file, keystore_password_env: 'PW', env: { PW: SPEC_PASSWORD } }, [SPEC_PASSWORD, SPEC_KEY])
    expect(error.issues).toEqual([
      { path: 'keystore_file', expected: `keystore file ${file} to use key-derivation settings of at most scrypt n 1048576, r 16, p 16, or pbkdf2 10000000 rounds`, found: 'c = 2147483648' },
    ])
    const scrypt = structuredClone(SPEC_SCRYPT_R1)
    scrypt.crypto.kdfparams.n = 2 ** 30
    const scryptFile = fixtureFile('costly-scrypt.json', JSON.stringify(scrypt))
    expect((await configErrorOf({ keystore_file: scryptFile, keystore_password_env: 'PW', env: { PW: SPEC_PASSWORD } }, [SPEC_PASSWORD])).issues[0]?.found).toBe('n = 1073741824')
  })
})

describe('loadSigner settings', () => {
  it('refuses both a key variable and a keystore file, and neither', async () => {
    const both = { private_key_env: 'DUST_PRIVATE_KEY', keystore_file: keystoreFile, keystore_password_env: 'PW', env: { DUST_PRIVATE_KEY: KEY } }
    const bothError = await configErrorOf(both as unknown as LoadSignerParameters, [KEY])
    expect(bothError.issues).toEqual([{ path: '', expected: 'either private_key_env or keystore_file, not both', found: 'both' }])

    const neitherError = await configErrorOf({ env: {} } as unknown as LoadSignerParameters, [])
    expect(neitherError.issues).toEqual([{ path: '', expected: 'private_key_env, or keystore_file with keystore_password_env', found: 'neither' }])

    const noPasswordEnv = await configErrorOf({ keystore_file: keystoreFile, env: {} } as unknown as LoadSignerParameters, [])
    expect(noPasswordEnv.issues[0]?.path).toBe('keystore_password_env')
  })
})
