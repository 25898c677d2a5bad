/**
 * The rate reads of liquid staking tokens and vaults, with the signatures of the real contracts:
 * ether.fi's weETH `getRate()` (eETH per weETH, 18 decimals), Lido's wstETH `stEthPerToken()`
 * (stETH per wstETH, 18 decimals) and ERC-4626's `convertToAssets`, `asset` and `decimals`.
 */
export const lstRateAbi = [
  { type: 'function', name: 'getRate', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint256' }] },
  { type: 'function', name: 'stEthPerToken', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint256' }] },
  {
    type: 'function',
    name: 'convertToAssets',
    stateMutability: 'view',
    inputs: [{ name: 'shares', type: 'uint256' }],
    outputs: [{ name: 'assets', type: 'uint256' }],
  },
  { type: 'function', name: 'asset', stateMutability: 'view', inputs: [], outputs: [{ name: 'assetTokenAddress', type: 'address' }] },
  { type: 'function', name: 'decimals', stateMutability: 'view', inputs: [], outputs: [{ name: '', type: 'uint8' }] },
] as const
