// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title DemoToken
/// @notice An ERC-20 for local chains whose decimals are chosen at deployment (e.g. 6 for a USDT look-alike).
/// @dev Only the deployer (the owner) can mint; there is no cap and no burn. Not for real value.
contract DemoToken is ERC20, Ownable {
    uint8 private immutable _decimals;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        _decimals = decimals_;
    }

    /// @notice Returns the number of decimals set at deployment.
    function decimals() public view override returns (uint8) {
        return _decimals;
    }

    /// @notice Creates `amount` base units for `to`; only the owner may call it.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
