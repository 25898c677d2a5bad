// The fragments of the Safe and Zodiac Roles contracts the manager calls, as the npm packages publish them.
// zodiacAbis.test.ts checks each fragment against its package artifact.

/** Zodiac Roles modifier v2 (`@gnosis.pm/zodiac` `RolesV2.json`): executing with a role, its settings, the events that record every change of a role, and every custom error. */
export const rolesModifierAbi = [
  { inputs: [], name: 'NotBFS', type: 'error' },
  { inputs: [{ name: 'index', type: 'uint256' }], name: 'UnsuitableChildCount', type: 'error' },
  { inputs: [{ name: 'index', type: 'uint256' }], name: 'UnsuitableChildTypeTree', type: 'error' },
  { inputs: [{ name: 'index', type: 'uint256' }], name: 'UnsuitableCompValue', type: 'error' },
  { inputs: [{ name: 'index', type: 'uint256' }], name: 'UnsuitableParameterType', type: 'error' },
  { inputs: [{ name: 'index', type: 'uint256' }], name: 'UnsuitableParent', type: 'error' },
  { inputs: [], name: 'UnsuitableRootNode', type: 'error' },
  { inputs: [{ name: 'index', type: 'uint256' }], name: 'UnsupportedOperator', type: 'error' },
  { inputs: [{ name: 'module', type: 'address' }], name: 'AlreadyDisabledModule', type: 'error' },
  { inputs: [{ name: 'module', type: 'address' }], name: 'AlreadyEnabledModule', type: 'error' },
  { inputs: [], name: 'ArraysDifferentLength', type: 'error' },
  { inputs: [], name: 'CalldataOutOfBounds', type: 'error' },
  {
    inputs: [
      { name: 'status', type: 'uint8' },
      { name: 'info', type: 'bytes32' },
    ],
    name: 'ConditionViolation',
    type: 'error',
  },
  { inputs: [], name: 'FunctionSignatureTooShort', type: 'error' },
  { inputs: [{ name: '', type: 'bytes32' }], name: 'HashAlreadyConsumed', type: 'error' },
  { inputs: [], name: 'InvalidInitialization', type: 'error' },
  { inputs: [{ name: 'module', type: 'address' }], name: 'InvalidModule', type: 'error' },
  { inputs: [], name: 'InvalidPageSize', type: 'error' },
  { inputs: [], name: 'MalformedMultiEntrypoint', type: 'error' },
  { inputs: [], name: 'ModuleTransactionFailed', type: 'error' },
  { inputs: [], name: 'NoMembership', type: 'error' },
  { inputs: [{ name: 'sender', type: 'address' }], name: 'NotAuthorized', type: 'error' },
  { inputs: [], name: 'NotInitializing', type: 'error' },
  { inputs: [{ name: 'owner', type: 'address' }], name: 'OwnableInvalidOwner', type: 'error' },
  { inputs: [{ name: 'account', type: 'address' }], name: 'OwnableUnauthorizedAccount', type: 'error' },
  { inputs: [], name: 'SetupModulesAlreadyCalled', type: 'error' },
  {
    anonymous: false,
    inputs: [
      { indexed: false, name: 'roleKey', type: 'bytes32' },
      { indexed: false, name: 'targetAddress', type: 'address' },
      { indexed: false, name: 'selector', type: 'bytes4' },
      { indexed: false, name: 'options', type: 'uint8' },
    ],
    name: 'AllowFunction',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: false, name: 'roleKey', type: 'bytes32' },
      { indexed: false, name: 'targetAddress', type: 'address' },
      { indexed: false, name: 'options', type: 'uint8' },
    ],
    name: 'AllowTarget',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: false, name: 'module', type: 'address' },
      { indexed: false, name: 'roleKeys', type: 'bytes32[]' },
      { indexed: false, name: 'memberOf', type: 'bool[]' },
    ],
    name: 'AssignRoles',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: 'previousAvatar', type: 'address' },
      { indexed: true, name: 'newAvatar', type: 'address' },
    ],
    name: 'AvatarSet',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: 'previousOwner', type: 'address' },
      { indexed: true, name: 'newOwner', type: 'address' },
    ],
    name: 'OwnershipTransferred',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: false, name: 'roleKey', type: 'bytes32' },
      { indexed: false, name: 'targetAddress', type: 'address' },
      { indexed: false, name: 'selector', type: 'bytes4' },
    ],
    name: 'RevokeFunction',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: false, name: 'roleKey', type: 'bytes32' },
      { indexed: false, name: 'targetAddress', type: 'address' },
    ],
    name: 'RevokeTarget',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: 'initiator', type: 'address' },
      { indexed: true, name: 'owner', type: 'address' },
      { indexed: true, name: 'avatar', type: 'address' },
      { indexed: false, name: 'target', type: 'address' },
    ],
    name: 'RolesModSetup',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: false, name: 'roleKey', type: 'bytes32' },
      { indexed: false, name: 'targetAddress', type: 'address' },
      { indexed: false, name: 'selector', type: 'bytes4' },
      {
        components: [
          { name: 'parent', type: 'uint8' },
          { name: 'paramType', type: 'uint8' },
          { name: 'operator', type: 'uint8' },
          { name: 'compValue', type: 'bytes' },
        ],
        indexed: false,
        name: 'conditions',
        type: 'tuple[]',
      },
      { indexed: false, name: 'options', type: 'uint8' },
    ],
    name: 'ScopeFunction',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: false, name: 'roleKey', type: 'bytes32' },
      { indexed: false, name: 'targetAddress', type: 'address' },
    ],
    name: 'ScopeTarget',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: false, name: 'module', type: 'address' },
      { indexed: false, name: 'defaultRoleKey', type: 'bytes32' },
    ],
    name: 'SetDefaultRole',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: 'previousTarget', type: 'address' },
      { indexed: true, name: 'newTarget', type: 'address' },
    ],
    name: 'TargetSet',
    type: 'event',
  },
  {
    inputs: [
      { name: 'roleKey', type: 'bytes32' },
      { name: 'targetAddress', type: 'address' },
      { name: 'selector', type: 'bytes4' },
      { name: 'options', type: 'uint8' },
    ],
    name: 'allowFunction',
    outputs: [],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  {
    inputs: [
      { name: 'roleKey', type: 'bytes32' },
      { name: 'targetAddress', type: 'address' },
      { name: 'options', type: 'uint8' },
    ],
    name: 'allowTarget',
    outputs: [],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  {
    inputs: [
      { name: 'module', type: 'address' },
      { name: 'roleKeys', type: 'bytes32[]' },
      { name: 'memberOf', type: 'bool[]' },
    ],
    name: 'assignRoles',
    outputs: [],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  { inputs: [], name: 'avatar', outputs: [{ name: '', type: 'address' }], stateMutability: 'view', type: 'function' },
  { inputs: [{ name: '', type: 'address' }], name: 'defaultRoles', outputs: [{ name: '', type: 'bytes32' }], stateMutability: 'view', type: 'function' },
  {
    inputs: [
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'data', type: 'bytes' },
      { name: 'operation', type: 'uint8' },
      { name: 'roleKey', type: 'bytes32' },
      { name: 'shouldRevert', type: 'bool' },
    ],
    name: 'execTransactionWithRole',
    outputs: [{ name: 'success', type: 'bool' }],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  { inputs: [], name: 'owner', outputs: [{ name: '', type: 'address' }], stateMutability: 'view', type: 'function' },
  {
    inputs: [
      { name: 'roleKey', type: 'bytes32' },
      { name: 'targetAddress', type: 'address' },
      { name: 'selector', type: 'bytes4' },
    ],
    name: 'revokeFunction',
    outputs: [],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  {
    inputs: [
      { name: 'roleKey', type: 'bytes32' },
      { name: 'targetAddress', type: 'address' },
    ],
    name: 'revokeTarget',
    outputs: [],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  {
    inputs: [
      { name: 'roleKey', type: 'bytes32' },
      { name: 'targetAddress', type: 'address' },
      { name: 'selector', type: 'bytes4' },
      {
        components: [
          { name: 'parent', type: 'uint8' },
          { name: 'paramType', type: 'uint8' },
          { name: 'operator', type: 'uint8' },
          { name: 'compValue', type: 'bytes' },
        ],
        name: 'conditions',
        type: 'tuple[]',
      },
      { name: 'options', type: 'uint8' },
    ],
    name: 'scopeFunction',
    outputs: [],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  {
    inputs: [
      { name: 'roleKey', type: 'bytes32' },
      { name: 'targetAddress', type: 'address' },
    ],
    name: 'scopeTarget',
    outputs: [],
    stateMutability: 'nonpayable',
    type: 'function',
  },
  { inputs: [{ name: 'initParams', type: 'bytes' }], name: 'setUp', outputs: [], stateMutability: 'nonpayable', type: 'function' },
  { inputs: [], name: 'target', outputs: [{ name: '', type: 'address' }], stateMutability: 'view', type: 'function' },
] as const

/** Safe 1.5.0 (`@safe-global/safe-smart-account` `Safe.json`): executing a signed transaction, its EIP-712 hash, owners, threshold and modules. */
export const safeAbi = [
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: 'txHash', type: 'bytes32' },
      { indexed: false, name: 'payment', type: 'uint256' },
    ],
    name: 'ExecutionFailure',
    type: 'event',
  },
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: 'txHash', type: 'bytes32' },
      { indexed: false, name: 'payment', type: 'uint256' },
    ],
    name: 'ExecutionSuccess',
    type: 'event',
  },
  { inputs: [], name: 'VERSION', outputs: [{ name: '', type: 'string' }], stateMutability: 'view', type: 'function' },
  { inputs: [], name: 'domainSeparator', outputs: [{ name: '', type: 'bytes32' }], stateMutability: 'view', type: 'function' },
  { inputs: [{ name: 'module', type: 'address' }], name: 'enableModule', outputs: [], stateMutability: 'nonpayable', type: 'function' },
  {
    inputs: [
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'data', type: 'bytes' },
      { name: 'operation', type: 'uint8' },
      { name: 'safeTxGas', type: 'uint256' },
      { name: 'baseGas', type: 'uint256' },
      { name: 'gasPrice', type: 'uint256' },
      { name: 'gasToken', type: 'address' },
      { name: 'refundReceiver', type: 'address' },
      { name: 'signatures', type: 'bytes' },
    ],
    name: 'execTransaction',
    outputs: [{ name: 'success', type: 'bool' }],
    stateMutability: 'payable',
    type: 'function',
  },
  {
    inputs: [
      { name: 'start', type: 'address' },
      { name: 'pageSize', type: 'uint256' },
    ],
    name: 'getModulesPaginated',
    outputs: [
      { name: 'array', type: 'address[]' },
      { name: 'next', type: 'address' },
    ],
    stateMutability: 'view',
    type: 'function',
  },
  { inputs: [], name: 'getOwners', outputs: [{ name: '', type: 'address[]' }], stateMutability: 'view', type: 'function' },
  { inputs: [], name: 'getThreshold', outputs: [{ name: '', type: 'uint256' }], stateMutability: 'view', type: 'function' },
  {
    inputs: [
      { name: 'to', type: 'address' },
      { name: 'value', type: 'uint256' },
      { name: 'data', type: 'bytes' },
      { name: 'operation', type: 'uint8' },
      { name: 'safeTxGas', type: 'uint256' },
      { name: 'baseGas', type: 'uint256' },
      { name: 'gasPrice', type: 'uint256' },
      { name: 'gasToken', type: 'address' },
      { name: 'refundReceiver', type: 'address' },
      { name: '_nonce', type: 'uint256' },
    ],
    name: 'getTransactionHash',
    outputs: [{ name: 'txHash', type: 'bytes32' }],
    stateMutability: 'view',
    type: 'function',
  },
  { inputs: [{ name: 'module', type: 'address' }], name: 'isModuleEnabled', outputs: [{ name: '', type: 'bool' }], stateMutability: 'view', type: 'function' },
  { inputs: [], name: 'nonce', outputs: [{ name: '', type: 'uint256' }], stateMutability: 'view', type: 'function' },
  {
    inputs: [
      { name: '_owners', type: 'address[]' },
      { name: '_threshold', type: 'uint256' },
      { name: 'to', type: 'address' },
      { name: 'data', type: 'bytes' },
      { name: 'fallbackHandler', type: 'address' },
      { name: 'paymentToken', type: 'address' },
      { name: 'payment', type: 'uint256' },
      { name: 'paymentReceiver', type: 'address' },
    ],
    name: 'setup',
    outputs: [],
    stateMutability: 'nonpayable',
    type: 'function',
  },
] as const

/** SafeProxyFactory 1.5.0: creating a Safe proxy. */
export const safeProxyFactoryAbi = [
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: 'proxy', type: 'address' },
      { indexed: false, name: 'singleton', type: 'address' },
    ],
    name: 'ProxyCreation',
    type: 'event',
  },
  {
    inputs: [
      { name: '_singleton', type: 'address' },
      { name: 'initializer', type: 'bytes' },
      { name: 'saltNonce', type: 'uint256' },
    ],
    name: 'createProxyWithNonce',
    outputs: [{ name: 'proxy', type: 'address' }],
    stateMutability: 'nonpayable',
    type: 'function',
  },
] as const

/** MultiSendCallOnly 1.5.0: a batch of calls (never delegate calls) a Safe runs in one transaction. */
export const multiSendCallOnlyAbi = [{ inputs: [{ name: 'transactions', type: 'bytes' }], name: 'multiSend', outputs: [], stateMutability: 'payable', type: 'function' }] as const

/** Zodiac ModuleProxyFactory: deploying a module proxy and calling its `setUp`. */
export const moduleProxyFactoryAbi = [
  {
    anonymous: false,
    inputs: [
      { indexed: true, name: 'proxy', type: 'address' },
      { indexed: true, name: 'masterCopy', type: 'address' },
    ],
    name: 'ModuleProxyCreation',
    type: 'event',
  },
  {
    inputs: [
      { name: 'masterCopy', type: 'address' },
      { name: 'initializer', type: 'bytes' },
      { name: 'saltNonce', type: 'uint256' },
    ],
    name: 'deployModule',
    outputs: [{ name: 'proxy', type: 'address' }],
    stateMutability: 'nonpayable',
    type: 'function',
  },
] as const
