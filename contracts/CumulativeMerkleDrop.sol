// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title CumulativeMerkleDrop
/// @notice A local-chain copy of 1inch's cumulative merkle drop (github.com/1inch/merkle-distribution,
/// contracts/CumulativeMerkleDrop.sol and contracts/interfaces/ICumulativeMerkleDrop.sol at commit
/// 3db322cac67449d4c58e429e194b460e8c6dca04): the same functions, events (including the
/// `MerkelRootUpdated` spelling), custom errors and semantics. Leaves are
/// `keccak256(abi.encodePacked(account, cumulativeAmount))` in a sorted-pair tree.
/// @dev The interface is folded into the contract; OpenZeppelin 4.9's `Ownable` makes the deployer the
/// owner, as the real one's `Ownable(msg.sender)` does. Not for real value.
contract CumulativeMerkleDrop is Ownable {
    using SafeERC20 for IERC20;

    /// @notice Emitted when the Merkle root is updated.
    event MerkelRootUpdated(bytes32 oldMerkleRoot, bytes32 newMerkleRoot);

    /// @notice Emitted when tokens are claimed.
    event Claimed(address indexed account, uint256 amount);

    error InvalidProof();
    error NothingToClaim();
    error MerkleRootWasUpdated();

    /// @notice The ERC-20 token distributed.
    address public immutable token;

    /// @notice The current Merkle root of cumulative amounts.
    bytes32 public merkleRoot;

    /// @notice What each account has claimed so far, cumulatively.
    mapping(address => uint256) public cumulativeClaimed;

    constructor(address token_) {
        token = token_;
    }

    /// @notice Replaces the Merkle root (owner only).
    function setMerkleRoot(bytes32 merkleRoot_) external onlyOwner {
        emit MerkelRootUpdated(merkleRoot, merkleRoot_);
        merkleRoot = merkleRoot_;
    }

    /// @notice Sends `account` the rest of its `cumulativeAmount`, proven against `expectedMerkleRoot`,
    /// which must still be the current root.
    function claim(address account, uint256 cumulativeAmount, bytes32 expectedMerkleRoot, bytes32[] calldata merkleProof)
        external
    {
        if (merkleRoot != expectedMerkleRoot) revert MerkleRootWasUpdated();

        bytes32 leaf = keccak256(abi.encodePacked(account, cumulativeAmount));
        if (!_verifyAsm(merkleProof, expectedMerkleRoot, leaf)) revert InvalidProof();

        uint256 preclaimed = cumulativeClaimed[account];
        if (preclaimed >= cumulativeAmount) revert NothingToClaim();
        cumulativeClaimed[account] = cumulativeAmount;

        unchecked {
            uint256 amount = cumulativeAmount - preclaimed;
            IERC20(token).safeTransfer(account, amount);
            emit Claimed(account, amount);
        }
    }

    /// @dev Verifies `proof` of `leaf` against `root`, hashing each pair sorted.
    function _verifyAsm(bytes32[] calldata proof, bytes32 root, bytes32 leaf) private pure returns (bool valid) {
        // Writes only to the scratch space (0x00-0x3f), as the real contract's memory-safe annotation says.
        assembly ("memory-safe") {
            let ptr := proof.offset

            for { let end := add(ptr, mul(0x20, proof.length)) } lt(ptr, end) { ptr := add(ptr, 0x20) } {
                let node := calldataload(ptr)

                switch lt(leaf, node)
                case 1 {
                    mstore(0x00, leaf)
                    mstore(0x20, node)
                }
                default {
                    mstore(0x00, node)
                    mstore(0x20, leaf)
                }

                leaf := keccak256(0x00, 0x40)
            }

            valid := eq(root, leaf)
        }
    }
}
