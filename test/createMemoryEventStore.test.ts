import { beforeEach, describe } from 'vitest'
import { createMemoryEventStore } from './createMemoryEventStore.js'
import { describeOutcomeContract, describeReadContract, describeTokenDiscoveryContract } from './eventStoreContract.js'

describe('createMemoryEventStore: the read, outcome and token discovery contracts', () => {
  let store: ReturnType<typeof createMemoryEventStore>
  beforeEach(() => {
    store = createMemoryEventStore()
  })
  // A memory store lives as long as its object: each "instance" is a view of it whose close keeps the data, as closing a database file does.
  describeTokenDiscoveryContract(async () => ({ ...store, close: async () => undefined }))
  describe('reading the log', () => describeReadContract(async () => store))
  describe('outcomes', () => describeOutcomeContract(async () => store))
})
