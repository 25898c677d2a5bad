// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockWstETH
/// @notice Lido's wstETH as far as a price reader sees it: an ERC-20 whose `stEthPerToken()`
/// answers how much stETH one wstETH is worth, 18 decimals, with the signature of the real contract
/// (`function stEthPerToken() external view returns (uint256)`).
/// @dev The real rate is `stETH.getPooledEthByShares(1 ether)`; here anyone may set it. Not for real value.
contract MockWstETH is ERC20 {
    uint256 private _stEthPerToken;

    constructor(uint256 stEthPerToken_) ERC20("Wrapped liquid staked Ether 2.0", "wstETH") {
        _stEthPerToken = stEthPerToken_;
    }

    /// @notice Returns stETH per wstETH, scaled by 1e18.
    function stEthPerToken() external view returns (uint256) {
        return _stEthPerToken;
    }

    /// @notice Sets the rate that `stEthPerToken()` answers.
    function setStEthPerToken(uint256 stEthPerToken_) external {
        _stEthPerToken = stEthPerToken_;
    }
}
