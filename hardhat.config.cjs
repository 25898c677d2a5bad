/**
 * Hardhat settings for the local node the demo and the chain tests start (`hardhat node`).
 * Nothing is compiled here: contracts come as bytecode from their npm packages.
 */
module.exports = {
  paths: { sources: './contracts', cache: './node_modules/.cache/hardhat', artifacts: './node_modules/.cache/hardhat-artifacts' },
  networks: {
    hardhat: {
      chainId: 31337,
      // Mainnet-like fees, so that gas costs in plans are real figures.
      initialBaseFeePerGas: 1_000_000_000,
      allowUnlimitedContractSize: false,
      accounts: { count: 4, accountsBalance: '10000000000000000000000000' },
    },
  },
}
