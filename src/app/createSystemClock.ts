// The composition root hands the process's clock to the interfaces, which never import adapters.
export { createSystemClock } from '../adapters/system/createSystemClock.js'
