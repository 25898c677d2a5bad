/**
 * The functions, events and errors the reward adapters use on the three cumulative merkle
 * distributors, as `as const` fragments of the real contracts' ABIs, so that viem checks arguments
 * and decodes results and reverts. `rewardDistributorAbis.test.ts` holds each fragment to the compiled
 * artifact of the project's copy in `contracts/` and its selectors to the real signatures.
 */

/** Merkl's `Distributor` (github.com/AngleProtocol/merkl-contracts): claims, the live and pending trees, tree updates and operators. */
export const merklDistributorAbi = [
  {
    type: 'function',
    name: 'claim',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'users', type: 'address[]' },
      { name: 'tokens', type: 'address[]' },
      { name: 'amounts', type: 'uint256[]' },
      { name: 'proofs', type: 'bytes32[][]' },
    ],
    outputs: [],
  },
  {
    type: 'function',
    name: 'claimed',
    stateMutability: 'view',
    inputs: [
      { name: '', type: 'address' },
      { name: '', type: 'address' },
    ],
    outputs: [
      { name: 'amount', type: 'uint208' },
      { name: 'timestamp', type: 'uint48' },
      { name: 'merkleRoot', type: 'bytes32' },
    ],
  },
  {
    type: 'function',
    name: 'getMerkleRoot',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'bytes32' }],
  },
  {
    type: 'function',
    name: 'tree',
    stateMutability: 'view',
    inputs: [],
    outputs: [
      { name: 'merkleRoot', type: 'bytes32' },
      { name: 'ipfsHash', type: 'bytes32' },
    ],
  },
  {
    type: 'function',
    name: 'lastTree',
    stateMutability: 'view',
    inputs: [],
    outputs: [
      { name: 'merkleRoot', type: 'bytes32' },
      { name: 'ipfsHash', type: 'bytes32' },
    ],
  },
  {
    type: 'function',
    name: 'endOfDisputePeriod',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'uint48' }],
  },
  {
    type: 'function',
    name: 'disputePeriod',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'uint48' }],
  },
  {
    type: 'function',
    name: 'getEpochDuration',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: 'epochDuration', type: 'uint32' }],
  },
  {
    type: 'function',
    name: 'canUpdateMerkleRoot',
    stateMutability: 'view',
    inputs: [{ name: '', type: 'address' }],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'updateTree',
    stateMutability: 'nonpayable',
    inputs: [
      {
        name: '_tree',
        type: 'tuple',
        components: [
          { name: 'merkleRoot', type: 'bytes32' },
          { name: 'ipfsHash', type: 'bytes32' },
        ],
      },
    ],
    outputs: [],
  },
  {
    type: 'function',
    name: 'operators',
    stateMutability: 'view',
    inputs: [
      { name: '', type: 'address' },
      { name: '', type: 'address' },
    ],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'toggleOperator',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'user', type: 'address' },
      { name: 'operator', type: 'address' },
    ],
    outputs: [],
  },
  {
    type: 'event',
    name: 'Claimed',
    inputs: [
      { name: 'user', type: 'address', indexed: true },
      { name: 'token', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
    ],
    anonymous: false,
  },
  {
    type: 'event',
    name: 'TreeUpdated',
    inputs: [
      { name: 'merkleRoot', type: 'bytes32', indexed: false },
      { name: 'ipfsHash', type: 'bytes32', indexed: false },
      { name: 'endOfDisputePeriod', type: 'uint48', indexed: false },
    ],
    anonymous: false,
  },
  {
    type: 'event',
    name: 'OperatorToggled',
    inputs: [
      { name: 'user', type: 'address', indexed: true },
      { name: 'operator', type: 'address', indexed: true },
      { name: 'isWhitelisted', type: 'bool', indexed: false },
    ],
    anonymous: false,
  },
  {
    type: 'error',
    name: 'InvalidLengths',
    inputs: [],
  },
  {
    type: 'error',
    name: 'InvalidProof',
    inputs: [],
  },
  {
    type: 'error',
    name: 'InvalidUninitializedRoot',
    inputs: [],
  },
  {
    type: 'error',
    name: 'NotTrusted',
    inputs: [],
  },
  {
    type: 'error',
    name: 'NotWhitelisted',
    inputs: [],
  },
] as const

/** Morpho's `UniversalRewardsDistributor` (github.com/morpho-org/universal-rewards-distributor): claims, the root, the timelocked pending root and its updaters. */
export const universalRewardsDistributorAbi = [
  {
    type: 'function',
    name: 'claim',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'account', type: 'address' },
      { name: 'reward', type: 'address' },
      { name: 'claimable', type: 'uint256' },
      { name: 'proof', type: 'bytes32[]' },
    ],
    outputs: [{ name: 'amount', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'claimed',
    stateMutability: 'view',
    inputs: [
      { name: 'account', type: 'address' },
      { name: 'reward', type: 'address' },
    ],
    outputs: [{ name: 'amount', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'root',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'bytes32' }],
  },
  {
    type: 'function',
    name: 'ipfsHash',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'bytes32' }],
  },
  {
    type: 'function',
    name: 'pendingRoot',
    stateMutability: 'view',
    inputs: [],
    outputs: [
      { name: 'root', type: 'bytes32' },
      { name: 'ipfsHash', type: 'bytes32' },
      { name: 'validAt', type: 'uint256' },
    ],
  },
  {
    type: 'function',
    name: 'timelock',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'owner',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'address' }],
  },
  {
    type: 'function',
    name: 'isUpdater',
    stateMutability: 'view',
    inputs: [{ name: '', type: 'address' }],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'setRoot',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'newRoot', type: 'bytes32' },
      { name: 'newIpfsHash', type: 'bytes32' },
    ],
    outputs: [],
  },
  {
    type: 'function',
    name: 'submitRoot',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'newRoot', type: 'bytes32' },
      { name: 'newIpfsHash', type: 'bytes32' },
    ],
    outputs: [],
  },
  {
    type: 'function',
    name: 'acceptRoot',
    stateMutability: 'nonpayable',
    inputs: [],
    outputs: [],
  },
  {
    type: 'function',
    name: 'revokePendingRoot',
    stateMutability: 'nonpayable',
    inputs: [],
    outputs: [],
  },
  {
    type: 'function',
    name: 'setRootUpdater',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'updater', type: 'address' },
      { name: 'active', type: 'bool' },
    ],
    outputs: [],
  },
  {
    type: 'function',
    name: 'setTimelock',
    stateMutability: 'nonpayable',
    inputs: [{ name: 'newTimelock', type: 'uint256' }],
    outputs: [],
  },
  {
    type: 'event',
    name: 'Claimed',
    inputs: [
      { name: 'account', type: 'address', indexed: true },
      { name: 'reward', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
    ],
    anonymous: false,
  },
  {
    type: 'event',
    name: 'RootSet',
    inputs: [
      { name: 'newRoot', type: 'bytes32', indexed: true },
      { name: 'newIpfsHash', type: 'bytes32', indexed: true },
    ],
    anonymous: false,
  },
  {
    type: 'event',
    name: 'PendingRootSet',
    inputs: [
      { name: 'caller', type: 'address', indexed: true },
      { name: 'newRoot', type: 'bytes32', indexed: true },
      { name: 'newIpfsHash', type: 'bytes32', indexed: true },
    ],
    anonymous: false,
  },
] as const

/** 1inch's `CumulativeMerkleDrop` (github.com/1inch/merkle-distribution): claims against an expected root, and the owner's root updates. */
export const cumulativeMerkleDropAbi = [
  {
    type: 'function',
    name: 'token',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'address' }],
  },
  {
    type: 'function',
    name: 'merkleRoot',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'bytes32' }],
  },
  {
    type: 'function',
    name: 'cumulativeClaimed',
    stateMutability: 'view',
    inputs: [{ name: '', type: 'address' }],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'setMerkleRoot',
    stateMutability: 'nonpayable',
    inputs: [{ name: 'merkleRoot_', type: 'bytes32' }],
    outputs: [],
  },
  {
    type: 'function',
    name: 'claim',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'account', type: 'address' },
      { name: 'cumulativeAmount', type: 'uint256' },
      { name: 'expectedMerkleRoot', type: 'bytes32' },
      { name: 'merkleProof', type: 'bytes32[]' },
    ],
    outputs: [],
  },
  {
    type: 'function',
    name: 'owner',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'address' }],
  },
  {
    type: 'event',
    name: 'Claimed',
    inputs: [
      { name: 'account', type: 'address', indexed: true },
      { name: 'amount', type: 'uint256', indexed: false },
    ],
    anonymous: false,
  },
  {
    type: 'event',
    name: 'MerkelRootUpdated',
    inputs: [
      { name: 'oldMerkleRoot', type: 'bytes32', indexed: false },
      { name: 'newMerkleRoot', type: 'bytes32', indexed: false },
    ],
    anonymous: false,
  },
  {
    type: 'error',
    name: 'InvalidProof',
    inputs: [],
  },
  {
    type: 'error',
    name: 'NothingToClaim',
    inputs: [],
  },
  {
    type: 'error',
    name: 'MerkleRootWasUpdated',
    inputs: [],
  },
] as const
