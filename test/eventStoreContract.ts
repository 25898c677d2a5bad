import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ConversionStateChanged, DustEvent } from '../src/domain/events.js'
import type { Clock, ConversionRecord, EventStore } from '../src/ports/index.js'
import type { CreateEventStoreParameters } from '../src/app/createEventStore.js'
import { type Migration, MIGRATIONS } from '../src/adapters/store/index.js'
import { instructionJson } from './fixtureInstructionJson.js'

/** What a contract test may ask of a store it opens: its clock, and a schema other than `MIGRATIONS`. */
export type OpenEventStoreOptions = {
  readonly clock?: Clock | undefined
  readonly migrations?: readonly Migration[] | undefined
}

/** One test's database, fresh for each test. */
export type EventStoreContractDatabase = {
  /** Opens a new store instance on this database (several may be open at once). */
  open(options?: OpenEventStoreOptions): Promise<EventStore>
  /** What `createEventStore` needs to open this database from another process. */
  readonly location: Omit<CreateEventStoreParameters, 'clock'>
  /** Removes the database; called once the test's stores are closed. */
  drop(): Promise<void>
}

const T0 = Date.UTC(2025, 8, 26, 12, 0, 0)
const STRATEGY = 'usdt_test'
const OTHER_STRATEGY = 'eth_test'
const CLAIM_TX = '0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060'
const APPROVE_TX = '0x9d1a3b2c7e4f5a6b8c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b'
const SWAP_TX = '0x2f0b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a'
/** The same swap sent again with a higher fee. */
const REPLACEMENT_TX = '0x7e3c1f9d2b4a6c8e0f1d3b5a7c9e2f4d6b8a0c1e3f5d7b9a2c4e6f8d0b1a3c5e'

/** A serialized instruction as `serializeInstruction` writes it: claim EIGEN, approve, swap to USDT. */
const INSTRUCTION = instructionJson({
  amount: '152.37',
  estimated_output: '171.902188',
  estimated_fees: '0.981273',
  min_output: '170.183166',
  net_output: '170.920915',
  conversion_id: 'usdt_test:EIGEN:uniswap_v3:1758888000000',
  strategy_mode: STRATEGY,
  custody: { kind: 'onchain', chain: 'ethereum' },
  sources: [{ venue: 'eigen_merkle', source: 'claimable_rewards', amount: '152.37' }],
  steps: [
    { kind: 'claim', venue: 'eigen_merkle', token: 'EIGEN', amount: '152.37' },
    { kind: 'approve', venue: 'uniswap_v3', token: 'EIGEN', amount: '152.37' },
    { kind: 'swap', venue: 'uniswap_v3', path: ['EIGEN', 'WETH', 'USDT'], amount_in: '152.37', min_output: '170.183166' },
  ],
})

function stateChanged(id: string, state: ConversionStateChanged['state'], extra: Partial<ConversionStateChanged> = {}): ConversionStateChanged {
  return { event_type: 'conversion_state_changed', strategy_mode: STRATEGY, timestamp: T0, conversion_id: id, token: 'EIGEN', venue: 'uniswap_v3', state, step: 0, ...extra }
}

function planned(id: string, extra: Partial<ConversionStateChanged> = {}): ConversionStateChanged {
  return stateChanged(id, 'planned', { instruction: { ...INSTRUCTION, conversion_id: id }, ...extra })
}

function warning(message: string, strategy = STRATEGY): DustEvent {
  return { event_type: 'dust_warning', strategy_mode: strategy, timestamp: T0, code: 'unpriced_token', message, token: 'ETHFI', venue: 'binance' }
}

function cycleFailed(strategy = STRATEGY): DustEvent {
  return { event_type: 'dust_cycle_failed', strategy_mode: strategy, timestamp: T0, error: 'SourceError', code: 'source_failed', message: 'Wallet did not answer.' }
}

/** A clock that moves only when told to. */
function manualClock(start = T0): Clock & { set(ms: number): void } {
  let now = start
  return { now: () => now, sleep: async () => undefined, set: (ms) => void (now = ms) }
}

const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url))
const CREATE_EVENT_STORE = new URL('../src/app/createEventStore.ts', import.meta.url).href

/** What a store process does: open the store, append the batches (pausing between them), take a lock, then hold it or close. */
type ChildPlan = { location: EventStoreContractDatabase['location']; batches: DustEvent[][]; pauseMs?: number; lock?: string; hold: boolean }

// Run by `node --import tsx`, so that it loads the TypeScript sources as the tests do.
const CHILD_SCRIPT = `
const { createEventStore } = await import(process.env.DUST_CONTRACT_MODULE)
const plan = JSON.parse(process.env.DUST_CONTRACT_PLAN)
const say = (line) => process.stdout.write(JSON.stringify(line) + '\\n')
const store = await createEventStore(plan.location)
say({ opened: true })
const seqs = []
for (const batch of plan.batches) {
  seqs.push(...(await store.append(batch)).map((stored) => stored.seq))
  if (plan.pauseMs) await new Promise((resolve) => setTimeout(resolve, plan.pauseMs))
}
const lock = plan.lock === undefined ? undefined : await store.tryLock(plan.lock)
say({ seqs, locked: lock !== undefined })
if (plan.hold) setInterval(() => undefined, 60000)
else await store.close()
`

type ChildLine = { opened?: true; seqs?: number[]; locked?: boolean }

/** Starts a store process; `next` waits for its next line of output. */
function startStoreProcess(plan: ChildPlan): { child: ChildProcess; next(): Promise<ChildLine>; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', CHILD_SCRIPT], {
    cwd: PROJECT_ROOT,
    // The plan goes through the environment rather than the command line, where `ps` would show a DATABASE_URL's password.
    env: { ...process.env, DUST_CONTRACT_MODULE: CREATE_EVENT_STORE, DUST_CONTRACT_PLAN: JSON.stringify(plan) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => void (stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })[Symbol.asyncIterator]()
  return {
    child,
    exited,
    async next() {
      const line = await lines.next()
      if (line.done) throw new Error(`The store process ended (exit code ${String(await exited)}) before answering: ${stderr.trim()}`)
      return JSON.parse(line.value) as ChildLine
    },
  }
}

/** Retries `attempt` until it gives a value, for what another process or the server lets go of a moment later. */
async function eventually<T>(attempt: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await attempt()
    if (value !== undefined || Date.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const WALLET = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const TOKEN_A = '0x5FbDB2315678afecb367f032d93F642f64180aa3'
const TOKEN_B = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512'
const DISCOVERY = { strategyMode: STRATEGY, chain: 'ethereum', wallet: WALLET }

/**
 * Declares the tests of a conversion's outcome: the SQLite and PostgreSQL stores run them within
 * `describeEventStoreContract`, the memory store on its own. `open` gives an empty store.
 */
export function describeOutcomeContract(open: () => Promise<EventStore>): void {
  it('gives a conversion that converted the outcome of its dust_converted event, and one that did not none', async () => {
    const store = await open()
    const id = 'usdt_test:EIGEN:uniswap_v3:1758888000000'
    const other = 'usdt_test:ETHFI:uniswap_v3:1758888000000'
    const steps = [
      { kind: 'claim' as const, venue: 'eigen_merkle', reference: CLAIM_TX, gas_used: '91000', gas_cost: '0.000227', block: '23441877' },
      { kind: 'swap' as const, venue: 'uniswap_v3', reference: SWAP_TX, gas_used: '150000', gas_cost: '0.000375', block: '23441878' },
    ]
    const converted: DustEvent = {
      event_type: 'dust_converted',
      strategy_mode: STRATEGY,
      timestamp: T0,
      conversion_id: id,
      token: 'EIGEN',
      venue: 'uniswap_v3',
      amount: '152.37',
      output: '171.4',
      fees: '0.981273',
      target_currency: 'USDT',
      instruction: { ...INSTRUCTION, conversion_id: id },
      steps,
    }
    // An earlier dust_converted of the same conversion, as a recovery that could not see the output leaves one: the latest counts.
    const earlier: DustEvent = { ...converted, output: null, steps: [] }
    await store.append([planned(id), planned(other), stateChanged(id, 'confirmed', { step: 2 }), earlier, converted, stateChanged(other, 'submitted', { step: 1, reference: APPROVE_TX })])
    const outcome = { output: '171.4', fees: '0.981273', target_currency: 'USDT', steps }
    expect((await store.conversion(id))?.outcome).toEqual(outcome)
    expect(await store.conversion(other)).not.toHaveProperty('outcome')
    expect((await store.conversions()).map((record) => [record.id, record.state, record.outcome])).toEqual([
      [id, 'confirmed', outcome],
      [other, 'submitted', undefined],
    ])
    expect((await store.conversions({ open: false })).map((record) => record.outcome)).toEqual([outcome])
  })
}

/**
 * Declares the tests of `read`: the SQLite and PostgreSQL stores run them within
 * `describeEventStoreContract`, the memory store on its own. `open` gives an empty store.
 */
export function describeReadContract(open: () => Promise<EventStore>): void {
  it('reads after a seq, up to a limit, for one strategy', async () => {
    const store = await open()
    await store.append([warning('w1'), warning('w2', OTHER_STRATEGY), warning('w3'), warning('w4', OTHER_STRATEGY), warning('w5')])
    const messages = async (query: Parameters<EventStore['read']>[0]) => (await store.read(query)).map((stored) => [stored.seq, (stored.event as { message: string }).message])
    expect(await messages({ since: 2 })).toEqual([
      [3, 'w3'],
      [4, 'w4'],
      [5, 'w5'],
    ])
    expect(await messages({ since: 1, limit: 2 })).toEqual([
      [2, 'w2'],
      [3, 'w3'],
    ])
    expect(await messages({ strategyMode: OTHER_STRATEGY })).toEqual([
      [2, 'w2'],
      [4, 'w4'],
    ])
    expect(await messages({ strategyMode: STRATEGY, since: 1, limit: 1 })).toEqual([[3, 'w3']])
    expect(await messages({ since: 5 })).toEqual([])
    expect(await messages({ limit: 0 })).toEqual([])
    expect(await messages({ strategyMode: 'unknown_mode' })).toEqual([])
    await expect(store.read({ since: -1 })).rejects.toMatchObject({ code: 'invalid_query', details: 'Expected since to be a sequence number (an integer from 0), found number -1.' })
    await expect(store.read({ limit: 2.5 })).rejects.toMatchObject({ code: 'invalid_query', details: 'Expected limit to be an integer from 0, found number 2.5.' })
  })

  it('reads the newest events oldest first, page by page back with before, for one strategy', async () => {
    const store = await open()
    await store.append([warning('w1'), warning('w2', OTHER_STRATEGY), warning('w3'), warning('w4', OTHER_STRATEGY), warning('w5')])
    const messages = async (query: Parameters<EventStore['read']>[0]) => (await store.read(query)).map((stored) => [stored.seq, (stored.event as { message: string }).message])
    expect(await messages({ last: 2 })).toEqual([
      [4, 'w4'],
      [5, 'w5'],
    ])
    expect(await messages({ last: 2, before: 4 })).toEqual([
      [2, 'w2'],
      [3, 'w3'],
    ])
    expect(await messages({ last: 2, before: 2 })).toEqual([[1, 'w1']])
    expect(await messages({ last: 2, strategyMode: STRATEGY })).toEqual([
      [3, 'w3'],
      [5, 'w5'],
    ])
    expect(await messages({ last: 5, strategyMode: OTHER_STRATEGY, before: 4 })).toEqual([[2, 'w2']])
    expect(await messages({ last: 10, since: 3 })).toEqual([
      [4, 'w4'],
      [5, 'w5'],
    ])
    expect(await messages({ since: 1, before: 4 })).toEqual([
      [2, 'w2'],
      [3, 'w3'],
    ])
    expect(await messages({ before: 5, limit: 1 })).toEqual([[1, 'w1']])
    expect(await messages({ last: 0 })).toEqual([])
    expect(await messages({ last: 3, before: 1 })).toEqual([])
    await expect(store.read({ limit: 1, last: 1 })).rejects.toMatchObject({
      code: 'invalid_query',
      details: 'Expected limit (the oldest events) or last (the newest), not both; found limit 1 and last 1.',
    })
    await expect(store.read({ before: -2 })).rejects.toMatchObject({ code: 'invalid_query', details: 'Expected before to be a sequence number (an integer from 0), found number -2.' })
    await expect(store.read({ last: Number.NaN })).rejects.toMatchObject({ code: 'invalid_query', details: 'Expected last to be an integer from 0, found number NaN.' })
  })
}

/**
 * Declares the token discovery tests of the EventStore contract: the SQLite and PostgreSQL stores
 * run them within `describeEventStoreContract`, the memory store on its own. `open` gives a new
 * store instance on the same database each time it is called (the memory store: the same one).
 */
export function describeTokenDiscoveryContract(open: () => Promise<EventStore>): void {
  it('reads an empty token discovery for a wallet never scanned', async () => {
    const store = await open()
    expect(await store.readTokenDiscovery(DISCOVERY)).toEqual({ scannedTo: undefined, tokens: [] })
  })

  it('records discovered tokens and the cursor, reads them back in the order found, addresses in lower case', async () => {
    const store = await open()
    await store.recordTokenDiscovery(DISCOVERY, { scannedTo: 2_000n, tokens: [{ address: TOKEN_B, firstBlock: 1_500n }] })
    await store.recordTokenDiscovery(DISCOVERY, { scannedTo: 4_000n, tokens: [{ address: TOKEN_A, firstBlock: 3_999n }] })
    await store.recordTokenDiscovery(DISCOVERY, { scannedTo: 6_000n, tokens: [] })
    expect(await store.readTokenDiscovery(DISCOVERY)).toEqual({
      scannedTo: 6_000n,
      tokens: [
        { address: TOKEN_B.toLowerCase(), firstBlock: 1_500n },
        { address: TOKEN_A.toLowerCase(), firstBlock: 3_999n },
      ],
    })
  })

  it('keeps a discovery per strategy, chain and wallet, the wallet compared without case', async () => {
    const store = await open()
    await store.recordTokenDiscovery(DISCOVERY, { scannedTo: 100n, tokens: [{ address: TOKEN_A, firstBlock: 10n }] })
    await store.recordTokenDiscovery({ ...DISCOVERY, chain: 'arbitrum' }, { scannedTo: 7n, tokens: [{ address: TOKEN_B, firstBlock: 7n }] })
    await store.recordTokenDiscovery({ ...DISCOVERY, strategyMode: OTHER_STRATEGY }, { scannedTo: 50n, tokens: [] })
    expect(await store.readTokenDiscovery({ ...DISCOVERY, wallet: WALLET.toLowerCase() })).toEqual({ scannedTo: 100n, tokens: [{ address: TOKEN_A.toLowerCase(), firstBlock: 10n }] })
    expect(await store.readTokenDiscovery({ ...DISCOVERY, chain: 'arbitrum' })).toEqual({ scannedTo: 7n, tokens: [{ address: TOKEN_B.toLowerCase(), firstBlock: 7n }] })
    expect(await store.readTokenDiscovery({ ...DISCOVERY, strategyMode: OTHER_STRATEGY })).toEqual({ scannedTo: 50n, tokens: [] })
    expect(await store.readTokenDiscovery({ ...DISCOVERY, wallet: TOKEN_A })).toEqual({ scannedTo: undefined, tokens: [] })
  })

  it('never moves the cursor back, and keeps the first block a token was seen at', async () => {
    const store = await open()
    await store.recordTokenDiscovery(DISCOVERY, { scannedTo: 9_000n, tokens: [{ address: TOKEN_A, firstBlock: 8_000n }] })
    // A second process that started from an older cursor records what it found later.
    await store.recordTokenDiscovery(DISCOVERY, {
      scannedTo: 8_500n,
      tokens: [
        { address: TOKEN_A.toLowerCase(), firstBlock: 7_000n },
        { address: TOKEN_B, firstBlock: 8_400n },
      ],
    })
    await store.recordTokenDiscovery(DISCOVERY, { scannedTo: 9_500n, tokens: [{ address: TOKEN_A, firstBlock: 9_100n }] })
    expect(await store.readTokenDiscovery(DISCOVERY)).toEqual({
      scannedTo: 9_500n,
      tokens: [
        { address: TOKEN_A.toLowerCase(), firstBlock: 7_000n },
        { address: TOKEN_B.toLowerCase(), firstBlock: 8_400n },
      ],
    })
  })

  it('keeps the token discovery across close and reopen', async () => {
    const store = await open()
    await store.recordTokenDiscovery(DISCOVERY, { scannedTo: 23_441_877n, tokens: [{ address: TOKEN_A, firstBlock: 23_441_000n }] })
    await store.close()
    const reopened = await open()
    expect(await reopened.readTokenDiscovery(DISCOVERY)).toEqual({ scannedTo: 23_441_877n, tokens: [{ address: TOKEN_A.toLowerCase(), firstBlock: 23_441_000n }] })
  })

  it.each([
    ['a wallet that is not an address', { key: { ...DISCOVERY, wallet: 'alice.eth' } }, 'Expected wallet to be a 0x address of 40 hexadecimal digits, found "alice.eth".'],
    ['an empty chain', { key: { ...DISCOVERY, chain: '' } }, 'Expected chain to be a non-empty string, found "".'],
    ['a negative cursor', { scannedTo: -1n }, 'Expected scannedTo to be a block number (a bigint from 0), found bigint -1.'],
    ['a cursor as a number', { scannedTo: 5 as unknown as bigint }, 'Expected scannedTo to be a block number (a bigint from 0), found number 5.'],
    ['a token that is not an address', { tokens: [{ address: '0x1234', firstBlock: 1n }] }, 'Expected tokens[0].address to be a 0x address of 40 hexadecimal digits, found "0x1234".'],
    ['a token found after the cursor', { tokens: [{ address: TOKEN_A, firstBlock: 101n }] }, 'Expected tokens[0].firstBlock to be a block number from 0 to scannedTo (100), found bigint 101.'],
  ])('refuses to record %s, and writes nothing', async (_case, change, details) => {
    const store = await open()
    await store.recordTokenDiscovery(DISCOVERY, { scannedTo: 50n, tokens: [{ address: TOKEN_B, firstBlock: 50n }] })
    const { key = DISCOVERY, ...found } = change as { key?: typeof DISCOVERY; scannedTo?: bigint; tokens?: Array<{ address: string; firstBlock: bigint }> }
    await expect(store.recordTokenDiscovery(key, { scannedTo: 100n, tokens: [], ...found })).rejects.toMatchObject({ name: 'EventStoreError', code: 'invalid_parameter', details })
    expect(await store.readTokenDiscovery(DISCOVERY)).toEqual({ scannedTo: 50n, tokens: [{ address: TOKEN_B.toLowerCase(), firstBlock: 50n }] })
  })
}

/**
 * Declares the tests every EventStore must pass, on a fresh database per test. Each backend's
 * test file calls it with a function that makes such a database.
 */
export function describeEventStoreContract(name: string, createDatabase: () => Promise<EventStoreContractDatabase>): void {
  describe(`${name}: the EventStore contract`, () => {
    let database: EventStoreContractDatabase
    let opened: EventStore[]
    let children: ChildProcess[]

    const open = async (options: OpenEventStoreOptions = {}): Promise<EventStore> => {
      const store = await database.open(options)
      opened.push(store)
      return store
    }
    const spawnStore = (plan: Omit<ChildPlan, 'location'>) => {
      const started = startStoreProcess({ ...plan, location: database.location })
      children.push(started.child)
      return started
    }

    beforeEach(async () => {
      opened = []
      children = []
      database = await createDatabase()
    })

    afterEach(async () => {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await Promise.all(opened.map((store) => store.close()))
      await database.drop()
    })

    it('numbers appended events 1, 2, 3, ... across calls, in order, stamped with the time of the append', async () => {
      const clock = manualClock()
      const store = await open({ clock })
      const first = await store.append([warning('ETHFI has no price on binance'), cycleFailed()])
      clock.set(T0 + 1_500)
      const second = await store.append([warning('ETHFI still has no price'), warning('EIGEN price is stale', OTHER_STRATEGY), cycleFailed(OTHER_STRATEGY)])
      expect(first.map((stored) => [stored.seq, stored.recordedAt])).toEqual([
        [1, T0],
        [2, T0],
      ])
      expect(second.map((stored) => [stored.seq, stored.recordedAt])).toEqual([
        [3, T0 + 1_500],
        [4, T0 + 1_500],
        [5, T0 + 1_500],
      ])
      expect(first[0]?.event).toEqual(warning('ETHFI has no price on binance'))
      expect(await store.read()).toEqual([...first, ...second])
      expect(store.kind).toMatch(/^(sqlite|postgres)$/)
    })

    it('writes nothing for an empty batch', async () => {
      const store = await open()
      expect(await store.append([])).toEqual([])
      expect((await store.append([cycleFailed()])).map((stored) => stored.seq)).toEqual([1])
    })

    describe('reading the log', () => describeReadContract(() => open()))

    it('keeps every event of concurrent appends from two store instances once, each batch in one run of seq', async () => {
      const [a, b] = [await open(), await open()]
      // Each writer awaits its appends one after the other, as the engine does; the two writers race.
      const write = async (store: EventStore, writer: string) => {
        const batches = []
        for (let index = 0; index < 20; index += 1) batches.push(await store.append([warning(`${writer}${index}.1`), warning(`${writer}${index}.2`)]))
        return batches
      }
      const results = (await Promise.all([write(a, 'a'), write(b, 'b')])).flat()
      for (const batch of results) expect(batch.map((stored) => stored.seq - (batch[0]?.seq ?? 0))).toEqual([0, 1])
      const log = await a.read()
      expect(log.map((stored) => stored.seq)).toEqual(Array.from({ length: 80 }, (_, index) => index + 1))
      const messages = log.map((stored) => (stored.event as { message: string }).message)
      expect(new Set(messages).size).toBe(80)
      // Each writer's batches are in the log in the order it sent them.
      for (const writer of ['a', 'b']) {
        expect(messages.filter((message) => message.startsWith(writer))).toEqual(Array.from({ length: 20 }, (_, index) => [`${writer}${index}.1`, `${writer}${index}.2`]).flat())
      }
    })

    it('keeps every event of appends racing from another process once, with no gap in seq', { timeout: 60_000 }, async () => {
      const store = await open()
      const other = spawnStore({ batches: Array.from({ length: 60 }, (_, index) => [warning(`child${index}.1`), warning(`child${index}.2`)]), pauseMs: 3, hold: false })
      expect(await other.next()).toEqual({ opened: true })
      const mine: number[] = []
      for (let index = 0; index < 60; index += 1) {
        mine.push(...(await store.append([warning(`parent${index}.1`), warning(`parent${index}.2`)])).map((stored) => stored.seq))
        // A pause between appends, as between cycles, lets a writer waiting on SQLite's busy handler in.
        await new Promise((resolve) => setTimeout(resolve, 3))
      }
      const theirs = (await other.next()).seqs ?? []
      expect(await other.exited).toBe(0)
      expect([...mine, ...theirs].sort((x, y) => x - y)).toEqual(Array.from({ length: 240 }, (_, index) => index + 1))
      const log = await store.read()
      expect(log.map((stored) => stored.seq)).toEqual(Array.from({ length: 240 }, (_, index) => index + 1))
      expect(log.filter((stored) => (stored.event as { message: string }).message.startsWith('child')).map((stored) => stored.seq)).toEqual(theirs)
    })

    it('projects a conversion through planned, claiming, claimed, submitted and confirmed', async () => {
      const clock = manualClock()
      const store = await open({ clock })
      const id = 'usdt_test:EIGEN:uniswap_v3:1758888000000'
      const created = { id, strategyMode: STRATEGY, token: 'EIGEN', venue: 'uniswap_v3', instruction: { ...INSTRUCTION, conversion_id: id }, createdAt: T0 }
      await store.append([planned(id)])
      expect(await store.conversion(id)).toEqual({ ...created, state: 'planned', step: 0, references: [], updatedAt: T0 })

      clock.set(T0 + 1_000)
      await store.append([stateChanged(id, 'claiming', { reference: CLAIM_TX })])
      expect(await store.conversion(id)).toEqual({ ...created, state: 'claiming', step: 0, references: [CLAIM_TX], updatedAt: T0 + 1_000 })

      clock.set(T0 + 13_000)
      await store.append([stateChanged(id, 'claimed', { detail: 'Claimed 152.37 EIGEN in block 23441877.' }), stateChanged(id, 'submitted', { step: 1, reference: APPROVE_TX })])
      expect(await store.conversion(id)).toEqual({ ...created, state: 'submitted', step: 1, references: [CLAIM_TX, APPROVE_TX], updatedAt: T0 + 13_000 })

      clock.set(T0 + 25_000)
      await store.append([stateChanged(id, 'submitted', { step: 2, reference: SWAP_TX, detail: 'Swap sent with min output 170.183166 USDT.' })])
      expect(await store.conversion(id)).toEqual({
        ...created,
        state: 'submitted',
        step: 2,
        references: [CLAIM_TX, APPROVE_TX, SWAP_TX],
        detail: 'Swap sent with min output 170.183166 USDT.',
        updatedAt: T0 + 25_000,
      })

      clock.set(T0 + 37_000)
      await store.append([stateChanged(id, 'confirmed', { step: 2, detail: 'Received 171.4 USDT.' }), warning('after the conversion')])
      const confirmed: ConversionRecord = { ...created, state: 'confirmed', step: 2, references: [CLAIM_TX, APPROVE_TX, SWAP_TX], detail: 'Received 171.4 USDT.', updatedAt: T0 + 37_000 }
      expect(await store.conversion(id)).toEqual(confirmed)
      expect(await store.conversions()).toEqual([confirmed])
      expect(await store.conversion('usdt_test:ETHFI:binance:1758888000000')).toBeUndefined()
      expect((await store.read()).map((stored) => [stored.seq, stored.event.event_type, (stored.event as { state?: string }).state])).toEqual([
        [1, 'conversion_state_changed', 'planned'],
        [2, 'conversion_state_changed', 'claiming'],
        [3, 'conversion_state_changed', 'claimed'],
        [4, 'conversion_state_changed', 'submitted'],
        [5, 'conversion_state_changed', 'submitted'],
        [6, 'conversion_state_changed', 'confirmed'],
        [7, 'dust_warning', undefined],
      ])
    })

    describe('outcomes', () => describeOutcomeContract(() => open()))

    it('lists conversions by strategy and by open or final state, in the order they were planned', async () => {
      const store = await open()
      await store.append([planned('c1'), planned('c2'), planned('c3'), planned('c4'), planned('c5', { strategy_mode: OTHER_STRATEGY })])
      await store.append([
        stateChanged('c1', 'confirmed', { step: 2 }),
        stateChanged('c2', 'failed', { step: 1, detail: 'venue_rejected: insufficient allowance' }),
        stateChanged('c3', 'expired', { detail: 'Recovered after a restart in state planned at step 0.' }),
        stateChanged('c4', 'submitted', { step: 2, reference: SWAP_TX }),
      ])
      const ids = async (query: Parameters<EventStore['conversions']>[0]) => (await store.conversions(query)).map((record) => `${record.id}:${record.state}`)
      expect(await ids({})).toEqual(['c1:confirmed', 'c2:failed', 'c3:expired', 'c4:submitted', 'c5:planned'])
      expect(await ids({ open: true })).toEqual(['c4:submitted', 'c5:planned'])
      expect(await ids({ open: false })).toEqual(['c1:confirmed', 'c2:failed', 'c3:expired'])
      expect(await ids({ strategyMode: STRATEGY, open: true })).toEqual(['c4:submitted'])
      expect(await ids({ strategyMode: OTHER_STRATEGY })).toEqual(['c5:planned'])
      expect(await ids({ strategyMode: 'unknown_mode' })).toEqual([])
      expect((await store.conversion('c2'))?.detail).toBe('venue_rejected: insufficient allowance')
    })

    it.each([
      [
        'a state change of an unknown conversion without an instruction',
        [stateChanged('ghost', 'claiming', { reference: CLAIM_TX })],
        'Conversion ghost is unknown: its first conversion_state_changed event must be planned, with the instruction; found claiming without an instruction.',
      ],
      [
        'a plan without its instruction',
        [stateChanged('c9', 'planned')],
        'Conversion c9 is unknown: its first conversion_state_changed event must be planned, with the instruction; found planned without an instruction.',
      ],
      ['a second plan of the same conversion', [planned('c1')], 'Conversion c1 was planned already and is submitted; found a second planned event.'],
      ['an event after a final state', [stateChanged('c2', 'submitted', { step: 1 })], 'Conversion c2 is already failed, a final state; found a later submitted event.'],
      ['an event of another strategy', [stateChanged('c1', 'confirmed', { strategy_mode: OTHER_STRATEGY })], 'Conversion c1 has strategy_mode "usdt_test"; found an event with "eth_test".'],
      ['an unknown state', [stateChanged('c1', 'settled' as 'confirmed')], 'Expected state to be one of planned, claiming, claimed, submitted, confirmed, failed, expired, found "settled".'],
      ['a negative step', [stateChanged('c1', 'submitted', { step: -1 })], 'Expected step to be an instruction step index (an integer from 0), found number -1.'],
      ['an event without a strategy', [{ ...cycleFailed(), strategy_mode: '' }], 'Expected strategy_mode to be a non-empty string, found "".'],
      ['an event without a timestamp', [{ ...cycleFailed(), timestamp: Number.NaN }], 'Expected timestamp to be milliseconds since the epoch, found number NaN.'],
      [
        'a bigint',
        [{ ...warning('amount as bigint'), figures: { amount: 1520n } } as unknown as DustEvent],
        'It cannot be written as JSON (Do not know how to serialize a BigInt); events hold decimal strings, never bigint.',
      ],
    ])('refuses %s and writes nothing of its batch', async (_case, invalid, details) => {
      const clock = manualClock()
      const store = await open({ clock })
      await store.append([planned('c1'), planned('c2')])
      await store.append([stateChanged('c1', 'submitted', { step: 2, reference: SWAP_TX }), stateChanged('c2', 'failed', { step: 1 })])
      const before = { log: await store.read(), conversions: await store.conversions() }
      clock.set(T0 + 5_000)
      const batch = [warning('written first'), planned('c3'), stateChanged('c1', 'submitted', { step: 2, reference: REPLACEMENT_TX }), ...(invalid as DustEvent[])]
      await expect(store.append(batch)).rejects.toMatchObject({
        name: 'EventStoreError',
        code: 'invalid_event',
        shortMessage: `Event 4 of the batch (${(invalid as DustEvent[])[0]?.event_type}) was refused; nothing of the batch was written.`,
        details,
      })
      expect(await store.read()).toEqual(before.log)
      expect(await store.conversions()).toEqual(before.conversions)
      expect(await store.conversion('c3')).toBeUndefined()
      expect((await store.append([warning('after the refusal')])).map((stored) => stored.seq)).toEqual([5])
    })

    it('keeps the log and the conversions across close and reopen', async () => {
      const store = await open()
      await store.append([planned('c1'), warning('before close')])
      await store.append([stateChanged('c1', 'submitted', { step: 2, reference: SWAP_TX })])
      const log = await store.read()
      const conversion = await store.conversion('c1')
      await store.close()
      const reopened = await open()
      expect(await reopened.read()).toEqual(log)
      expect(await reopened.conversion('c1')).toEqual(conversion)
      expect(conversion?.references).toEqual([SWAP_TX])
      expect((await reopened.append([stateChanged('c1', 'confirmed', { step: 2 })])).map((stored) => stored.seq)).toEqual([4])
      expect((await reopened.conversion('c1'))?.state).toBe('confirmed')
    })

    it('refuses every call once closed, and closes twice without harm', async () => {
      const store = await open()
      await store.close()
      await store.close()
      for (const call of [
        () => store.append([warning('late')]),
        () => store.read(),
        () => store.conversions(),
        () => store.conversion('c1'),
        () => store.tryLock(STRATEGY),
        () => store.readTokenDiscovery(DISCOVERY),
        () => store.recordTokenDiscovery(DISCOVERY, { scannedTo: 1n, tokens: [] }),
      ]) {
        await expect(call()).rejects.toMatchObject({ name: 'EventStoreError', code: 'event_store_closed' })
      }
    })

    it('applies each migration once and refuses a schema newer than the code knows', async () => {
      const probe: Migration = {
        version: MIGRATIONS.length + 1,
        name: 'contract probe',
        // Fails if run twice: a reopen that applied it again would not open.
        statements: { sqlite: ['CREATE TABLE contract_probe (id INTEGER PRIMARY KEY)'], postgres: ['CREATE TABLE contract_probe (id INTEGER PRIMARY KEY)'] },
      }
      const first = await open({ migrations: [...MIGRATIONS, probe] })
      await first.append([warning('written at the newer version')])
      await first.close()
      const again = await open({ migrations: [...MIGRATIONS, probe] })
      expect((await again.read()).map((stored) => stored.seq)).toEqual([1])
      await again.close()
      const known = MIGRATIONS.length
      await expect(open()).rejects.toMatchObject({
        name: 'EventStoreError',
        code: 'event_store_schema_too_new',
        shortMessage: expect.stringMatching(new RegExp(`has schema version ${known + 1}, newer than this code knows \\(${known}\\)\\.$`)),
      })
    })

    it('lets one holder at a time take a strategy lock, across store instances, until it is released or its store closes', async () => {
      const [a, b] = [await open(), await open()]
      const held = await a.tryLock(STRATEGY)
      expect(held).toBeDefined()
      expect(await b.tryLock(STRATEGY)).toBeUndefined()
      expect(await a.tryLock(STRATEGY)).toBeUndefined()
      const other = await b.tryLock(OTHER_STRATEGY)
      expect(other).toBeDefined()
      await held?.release()
      await held?.release()
      const taken = await b.tryLock(STRATEGY)
      expect(taken).toBeDefined()
      expect(await a.tryLock(STRATEGY)).toBeUndefined()
      await b.close()
      expect(await a.tryLock(STRATEGY)).toBeDefined()
      expect(await a.tryLock(OTHER_STRATEGY)).toBeDefined()
      await taken?.release()
    })

    describe('token discovery', () => describeTokenDiscoveryContract(() => open()))

    it('keeps what a process appended and frees its lock when the process is killed with SIGKILL', { timeout: 60_000 }, async () => {
      const store = await open()
      const child = spawnStore({ batches: [[planned('c1'), warning('from the killed process')]], lock: STRATEGY, hold: true })
      expect(await child.next()).toEqual({ opened: true })
      expect(await child.next()).toEqual({ seqs: [1, 2], locked: true })
      expect(await store.tryLock(STRATEGY)).toBeUndefined()
      child.child.kill('SIGKILL')
      expect(await child.exited).toBeNull()
      const lock = await eventually(() => store.tryLock(STRATEGY))
      expect(lock).toBeDefined()
      await lock?.release()
      const reopened = await open()
      expect((await reopened.read()).map((stored) => [stored.seq, stored.event.event_type])).toEqual([
        [1, 'conversion_state_changed'],
        [2, 'dust_warning'],
      ])
      expect((await reopened.conversion('c1'))?.state).toBe('planned')
    })
  })
}
