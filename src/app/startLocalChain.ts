// The composition root hands the local Hardhat node (the demo's chain) to the interfaces, which never import adapters.
export { type LocalChain, startLocalChain } from '../adapters/localchain/startLocalChain.js'
