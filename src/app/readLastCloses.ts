// The composition root hands the last real prices of shared/data (the demo's prices) to the interfaces, which never import adapters.
export { type LastCloses, defaultDataDir, readLastCloses } from '../adapters/history/readLastCloses.js'
