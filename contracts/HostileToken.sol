// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title HostileToken
/// @notice A token for local chains whose symbol() and decimals() answer what its deployer chose:
/// a revert, or any raw bytes (a string, a bytes32, 10 kB of text, a decimals above 36). Its
/// transfers emit the ERC-20 Transfer event, so that token discovery finds it like any airdrop.
/// @dev Not ERC-20 compliant on purpose: it stands for the spam and broken tokens a public wallet receives.
contract HostileToken {
    event Transfer(address indexed from, address indexed to, uint256 value);

    mapping(address => uint256) public balanceOf;

    bool private immutable _symbolReverts;
    bool private immutable _decimalsReverts;
    bytes private _symbolAnswer;
    bytes private _decimalsAnswer;

    /// @param symbolAnswer What symbol() returns, as raw return data (ABI-encode it for a well-formed answer).
    /// @param symbolReverts Whether symbol() reverts instead.
    /// @param decimalsAnswer What decimals() returns, as raw return data.
    /// @param decimalsReverts Whether decimals() reverts instead.
    constructor(bytes memory symbolAnswer, bool symbolReverts, bytes memory decimalsAnswer, bool decimalsReverts) {
        _symbolAnswer = symbolAnswer;
        _symbolReverts = symbolReverts;
        _decimalsAnswer = decimalsAnswer;
        _decimalsReverts = decimalsReverts;
    }

    /// @notice Creates `amount` base units for `to` and emits Transfer from the zero address; anyone may call it.
    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Emits a Transfer shaped as ERC-721's (the token id indexed, no data) from this contract to `to`, as an NFT contract does.
    function emitNftTransfer(address to, uint256 tokenId) external {
        bytes32 topic = keccak256("Transfer(address,address,uint256)");
        assembly {
            log4(0, 0, topic, 0, to, tokenId)
        }
    }

    /// @dev Answers symbol() and decimals() with the raw bytes set at deployment; a fallback returns them unencoded.
    fallback(bytes calldata input) external returns (bytes memory) {
        bytes4 selector = input.length >= 4 ? bytes4(input[:4]) : bytes4(0);
        if (selector == bytes4(keccak256("symbol()"))) {
            require(!_symbolReverts, "HostileToken: symbol() reverts");
            return _symbolAnswer;
        }
        if (selector == bytes4(keccak256("decimals()"))) {
            require(!_decimalsReverts, "HostileToken: decimals() reverts");
            return _decimalsAnswer;
        }
        revert("HostileToken: unknown function");
    }
}
