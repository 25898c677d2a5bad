// SPDX-License-Identifier: GPL-2.0-or-later
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/// @notice A root submitted under a timelock, acceptable from `validAt`.
struct PendingRoot {
    bytes32 root;
    bytes32 ipfsHash;
    uint256 validAt;
}

/// @title UniversalRewardsDistributor
/// @notice A local-chain copy of Morpho's Universal Rewards Distributor
/// (github.com/morpho-org/universal-rewards-distributor, src/UniversalRewardsDistributor.sol with its
/// ErrorsLib and EventsLib at commit 3de504b130835a12482e00e1c83dcf369448c80b): the same external
/// functions, events, revert strings and semantics. Leaves are OpenZeppelin `StandardMerkleTree` leaves of
/// `(address account, address reward, uint256 claimable)` with `claimable` cumulative; anyone may claim
/// for an account and the tokens always go to the account.
/// @dev The revert strings and events of ErrorsLib and EventsLib are declared in the contract (a library
/// here would be compiled into an artifact of its own). Not for real value.
contract UniversalRewardsDistributor {
    using SafeERC20 for IERC20;

    string internal constant NOT_UPDATER_ROLE = "caller has not the updater role";
    string internal constant NOT_OWNER = "caller is not the owner";
    string internal constant UNAUTHORIZED_ROOT_CHANGE = "unauthorized to change the root";
    string internal constant NO_PENDING_ROOT = "no pending root";
    string internal constant TIMELOCK_NOT_EXPIRED = "timelock is not expired";
    string internal constant ROOT_NOT_SET = "root is not set";
    string internal constant INVALID_PROOF_OR_EXPIRED = "invalid proof or expired";
    string internal constant CLAIMABLE_TOO_LOW = "claimable too low";
    string internal constant ALREADY_SET = "already set";
    string internal constant ALREADY_PENDING = "already pending";

    event RootSet(bytes32 indexed newRoot, bytes32 indexed newIpfsHash);
    event PendingRootSet(address indexed caller, bytes32 indexed newRoot, bytes32 indexed newIpfsHash);
    event PendingRootRevoked(address indexed caller);
    event TimelockSet(uint256 newTimelock);
    event RootUpdaterSet(address indexed rootUpdater, bool active);
    event Claimed(address indexed account, address indexed reward, uint256 amount);
    event OwnerSet(address indexed newOwner);

    /// @notice The merkle root of this distribution.
    bytes32 public root;

    /// @notice The optional ipfs hash containing metadata about the root (e.g. the merkle tree itself).
    bytes32 public ipfsHash;

    /// @notice The `amount` of `reward` token already claimed by `account`.
    mapping(address account => mapping(address reward => uint256 amount)) public claimed;

    /// @notice The address that can update the distribution parameters, and freeze a root.
    address public owner;

    /// @notice The addresses that can update the merkle root.
    mapping(address => bool) public isUpdater;

    /// @notice The timelock related to root updates.
    uint256 public timelock;

    /// @notice The pending root of the distribution.
    PendingRoot public pendingRoot;

    modifier onlyOwner() {
        require(msg.sender == owner, NOT_OWNER);
        _;
    }

    modifier onlyUpdaterRole() {
        require(isUpdater[msg.sender] || msg.sender == owner, NOT_UPDATER_ROLE);
        _;
    }

    /// @notice Initializes the contract.
    /// @param initialOwner The initial owner of the contract.
    /// @param initialTimelock The initial timelock of the contract, in seconds.
    /// @param initialRoot The initial merkle root.
    /// @param initialIpfsHash The optional ipfs hash containing metadata about the root.
    constructor(address initialOwner, uint256 initialTimelock, bytes32 initialRoot, bytes32 initialIpfsHash) {
        _setOwner(initialOwner);
        _setTimelock(initialTimelock);
        _setRoot(initialRoot, initialIpfsHash);
    }

    /// @notice Submits a new merkle root, acceptable once the timelock has expired.
    function submitRoot(bytes32 newRoot, bytes32 newIpfsHash) external onlyUpdaterRole {
        require(newRoot != pendingRoot.root || newIpfsHash != pendingRoot.ipfsHash, ALREADY_PENDING);

        pendingRoot = PendingRoot({root: newRoot, ipfsHash: newIpfsHash, validAt: block.timestamp + timelock});

        emit PendingRootSet(msg.sender, newRoot, newIpfsHash);
    }

    /// @notice Accepts and sets the current pending merkle root; anyone may call it once the timelock
    /// has expired.
    function acceptRoot() external {
        require(pendingRoot.validAt != 0, NO_PENDING_ROOT);
        require(block.timestamp >= pendingRoot.validAt, TIMELOCK_NOT_EXPIRED);

        _setRoot(pendingRoot.root, pendingRoot.ipfsHash);
    }

    /// @notice Revokes the pending root.
    function revokePendingRoot() external onlyUpdaterRole {
        require(pendingRoot.validAt != 0, NO_PENDING_ROOT);

        delete pendingRoot;

        emit PendingRootRevoked(msg.sender);
    }

    /// @notice Claims rewards: sends `account` the rest of its cumulative `claimable` of `reward`.
    /// @param account The address to claim rewards for.
    /// @param reward The address of the reward token.
    /// @param claimable The overall claimable amount of token rewards.
    /// @param proof The merkle proof that validates this claim.
    /// @return amount The amount of reward token claimed.
    function claim(address account, address reward, uint256 claimable, bytes32[] calldata proof)
        external
        returns (uint256 amount)
    {
        require(root != bytes32(0), ROOT_NOT_SET);
        require(
            MerkleProof.verifyCalldata(
                proof, root, keccak256(bytes.concat(keccak256(abi.encode(account, reward, claimable))))
            ),
            INVALID_PROOF_OR_EXPIRED
        );

        require(claimable > claimed[account][reward], CLAIMABLE_TOO_LOW);

        amount = claimable - claimed[account][reward];

        claimed[account][reward] = claimable;

        IERC20(reward).safeTransfer(account, amount);

        emit Claimed(account, reward, amount);
    }

    /// @notice Forces the root (bypassing the timelock); the owner always may, updaters only without a
    /// timelock.
    function setRoot(bytes32 newRoot, bytes32 newIpfsHash) external onlyUpdaterRole {
        require(newRoot != root || newIpfsHash != ipfsHash, ALREADY_SET);
        require(timelock == 0 || msg.sender == owner, UNAUTHORIZED_ROOT_CHANGE);

        _setRoot(newRoot, newIpfsHash);
    }

    /// @notice Sets the timelock in seconds (owner only).
    function setTimelock(uint256 newTimelock) external onlyOwner {
        require(newTimelock != timelock, ALREADY_SET);

        _setTimelock(newTimelock);
    }

    /// @notice Adds or removes a root updater (owner only).
    function setRootUpdater(address updater, bool active) external onlyOwner {
        require(isUpdater[updater] != active, ALREADY_SET);

        isUpdater[updater] = active;

        emit RootUpdaterSet(updater, active);
    }

    /// @notice Sets the `owner` of the distribution to `newOwner`.
    function setOwner(address newOwner) external onlyOwner {
        require(newOwner != owner, ALREADY_SET);

        _setOwner(newOwner);
    }

    /// @dev Sets the root and ipfs hash and deletes the pending root.
    function _setRoot(bytes32 newRoot, bytes32 newIpfsHash) internal {
        root = newRoot;
        ipfsHash = newIpfsHash;

        delete pendingRoot;

        emit RootSet(newRoot, newIpfsHash);
    }

    function _setOwner(address newOwner) internal {
        owner = newOwner;

        emit OwnerSet(newOwner);
    }

    function _setTimelock(uint256 newTimelock) internal {
        timelock = newTimelock;

        emit TimelockSet(newTimelock);
    }
}
