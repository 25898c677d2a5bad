// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockWeETH
/// @notice ether.fi's weETH as far as a price reader sees it: an ERC-20 whose `getRate()` answers
/// how much eETH one weETH is worth, 18 decimals, with the signature of the real contract
/// (`function getRate() external view returns (uint256)`).
/// @dev The real rate is `liquidityPool.amountForShare(1 ether)`; here anyone may set it. Not for real value.
contract MockWeETH is ERC20 {
    uint256 private _rate;

    constructor(uint256 rate_) ERC20("Wrapped eETH", "weETH") {
        _rate = rate_;
    }

    /// @notice Returns eETH per weETH, scaled by 1e18.
    function getRate() external view returns (uint256) {
        return _rate;
    }

    /// @notice Sets the rate that `getRate()` answers.
    function setRate(uint256 rate_) external {
        _rate = rate_;
    }
}
