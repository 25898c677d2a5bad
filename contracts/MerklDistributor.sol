// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/// @notice A Merkl tree: its root and the IPFS hash of the full tree data.
/// @dev Leaves are `keccak256(abi.encode(address user, address token, uint256 amount))` with `amount`
/// the cumulative amount `user` has earned of `token`; pairs are hashed sorted.
struct MerkleTree {
    bytes32 merkleRoot;
    bytes32 ipfsHash;
}

/// @notice What a user has claimed of a token: the cumulative amount, when, and under which root.
struct Claim {
    uint208 amount;
    uint48 timestamp;
    bytes32 merkleRoot;
}

/// @title MerklDistributor
/// @notice A local-chain stand-in for Merkl's `Distributor` (github.com/AngleProtocol/merkl-contracts,
/// contracts/Distributor.sol at commit 15d0dda35ed2732a13d3ee1f316117f8350e0b99) with the same external
/// functions, events, custom errors and claim semantics: cumulative leaves, `amount - claimed` paid,
/// a new tree live only once its dispute period has ended, and only the user, `tx.origin` the user, or
/// an operator the user approved may claim.
/// @dev Not upgradeable and without Merkl's access control manager: the deployer is the governor (and
/// guardian). Disputes, claim recipients and callbacks are left out. Not for real value.
contract MerklDistributor {
    using SafeERC20 for IERC20;

    /// @notice Default epoch duration in seconds (1 hour).
    uint32 internal constant _EPOCH_DURATION = 3600;

    /// @notice The latest tree; live once `endOfDisputePeriod` has passed.
    MerkleTree public tree;

    /// @notice The tree before the latest update; live until `endOfDisputePeriod`.
    MerkleTree public lastTree;

    /// @notice Timestamp from which `tree` is live.
    uint48 public endOfDisputePeriod;

    /// @notice Number of epochs a tree update waits before it goes live.
    uint48 public disputePeriod;

    /// @notice What each user has claimed of each token (user => token => claim).
    mapping(address => mapping(address => Claim)) public claimed;

    /// @notice Addresses trusted to update the tree (1 = trusted).
    mapping(address => uint256) public canUpdateMerkleRoot;

    /// @notice Operators a user allowed to claim for it (user => operator => 1 when allowed;
    /// operator address(0) allows anyone).
    mapping(address => mapping(address => uint256)) public operators;

    /// @notice Operators the governor allowed to claim a token for any user (operator => token => 1;
    /// token address(0) allows every token).
    mapping(address => mapping(address => uint256)) public mainOperators;

    address private immutable _governor;
    uint32 internal _epochDuration;
    uint96 private _status;

    event Claimed(address indexed user, address indexed token, uint256 amount);
    event DisputePeriodUpdated(uint48 _disputePeriod);
    event EpochDurationUpdated(uint32 newEpochDuration);
    event MainOperatorStatusUpdated(address indexed operator, address indexed token, bool isWhitelisted);
    event OperatorToggled(address indexed user, address indexed operator, bool isWhitelisted);
    event Recovered(address indexed token, address indexed to, uint256 amount);
    event Revoked();
    event TreeUpdated(bytes32 merkleRoot, bytes32 ipfsHash, uint48 endOfDisputePeriod);
    event TrustedToggled(address indexed eoa, bool trust);

    error InvalidLengths();
    error InvalidProof();
    error InvalidUninitializedRoot();
    error NotGovernor();
    error NotGovernorOrGuardian();
    error NotTrusted();
    error NotWhitelisted();
    error ReentrantCall();

    modifier onlyGovernor() {
        if (msg.sender != _governor) revert NotGovernor();
        _;
    }

    modifier onlyGuardian() {
        if (msg.sender != _governor) revert NotGovernorOrGuardian();
        _;
    }

    modifier nonReentrant() {
        if (_status == 2) revert ReentrantCall();
        _status = 2;
        _;
        _status = 1;
    }

    /// @notice Makes the deployer the governor and `trustedUpdater` a trusted tree updater.
    /// @param trustedUpdater The address allowed to call `updateTree` (outside a dispute period).
    /// @param disputePeriod_ How many epochs a tree update waits before it goes live.
    /// @param epochDuration_ The epoch length in seconds (0 for Merkl's default of 3600); with 1, the
    /// dispute period is simply `disputePeriod_` seconds after the update.
    constructor(address trustedUpdater, uint48 disputePeriod_, uint32 epochDuration_) {
        _governor = msg.sender;
        canUpdateMerkleRoot[trustedUpdater] = 1;
        disputePeriod = disputePeriod_;
        _epochDuration = epochDuration_;
        emit TrustedToggled(trustedUpdater, true);
    }

    /// @notice Claims for each `users[i]` the rest of its cumulative `amounts[i]` of `tokens[i]`.
    /// @param users Addresses claiming (or claimed for)
    /// @param tokens ERC-20 tokens claimed
    /// @param amounts Cumulative amounts earned, as in the tree's leaves
    /// @param proofs Merkle proofs of each leaf against the live root
    function claim(address[] calldata users, address[] calldata tokens, uint256[] calldata amounts, bytes32[][] calldata proofs)
        external
        nonReentrant
    {
        uint256 usersLength = users.length;
        if (usersLength == 0 || usersLength != tokens.length || usersLength != amounts.length || usersLength != proofs.length) {
            revert InvalidLengths();
        }

        for (uint256 i; i < usersLength;) {
            address user = users[i];
            address token = tokens[i];
            uint256 amount = amounts[i];

            // Only approved operators can claim for `user`
            if (
                msg.sender != user && tx.origin != user && mainOperators[msg.sender][token] == 0
                    && mainOperators[msg.sender][address(0)] == 0 && operators[user][msg.sender] == 0
                    && operators[user][address(0)] == 0 && msg.sender != _governor
            ) revert NotWhitelisted();

            bytes32 leaf = keccak256(abi.encode(user, token, amount));
            if (!_verifyProof(leaf, proofs[i])) revert InvalidProof();

            uint256 toSend = amount - claimed[user][token].amount;
            claimed[user][token] = Claim(SafeCast.toUint208(amount), uint48(block.timestamp), getMerkleRoot());
            emit Claimed(user, token, toSend);

            if (toSend != 0) IERC20(token).safeTransfer(user, toSend);
            unchecked {
                ++i;
            }
        }
    }

    /// @notice Returns the live root: `tree`'s once its dispute period has ended, `lastTree`'s before.
    function getMerkleRoot() public view returns (bytes32) {
        if (block.timestamp >= endOfDisputePeriod) return tree.merkleRoot;
        else return lastTree.merkleRoot;
    }

    /// @notice Returns the epoch duration in seconds used for dispute periods.
    function getEpochDuration() public view returns (uint32 epochDuration) {
        epochDuration = _epochDuration;
        if (epochDuration == 0) epochDuration = _EPOCH_DURATION;
    }

    /// @notice Allows `operator` to claim for `user`, or withdraws that right; only `user` (or the
    /// governor) may call it.
    function toggleOperator(address user, address operator) external {
        if (user != msg.sender && msg.sender != _governor) revert NotTrusted();
        uint256 oldValue = operators[user][operator];
        operators[user][operator] = 1 - oldValue;
        emit OperatorToggled(user, operator, oldValue == 0);
    }

    /// @notice Allows `operator` to claim `token` for any user, or withdraws that right (guardian only).
    function toggleMainOperatorStatus(address operator, address token) external onlyGuardian {
        uint256 oldValue = mainOperators[operator][token];
        mainOperators[operator][token] = 1 - oldValue;
        emit MainOperatorStatusUpdated(operator, token, oldValue == 0);
    }

    /// @notice Replaces the tree; the new one goes live after the dispute period.
    /// @dev A trusted updater cannot update again before the previous update's dispute period ended.
    function updateTree(MerkleTree calldata _tree) external {
        if ((canUpdateMerkleRoot[msg.sender] != 1 || block.timestamp < endOfDisputePeriod) && msg.sender != _governor) {
            revert NotTrusted();
        }
        MerkleTree memory _lastTree = tree;
        tree = _tree;
        lastTree = _lastTree;

        uint48 _endOfPeriod = _endOfDisputePeriod(uint48(block.timestamp));
        endOfDisputePeriod = _endOfPeriod;
        emit TreeUpdated(_tree.merkleRoot, _tree.ipfsHash, _endOfPeriod);
    }

    /// @notice Trusts `trustAddress` to update the tree, or stops trusting it (governor only).
    function toggleTrusted(address trustAddress) external onlyGovernor {
        uint256 trustedStatus = 1 - canUpdateMerkleRoot[trustAddress];
        canUpdateMerkleRoot[trustAddress] = trustedStatus;
        emit TrustedToggled(trustAddress, trustedStatus == 1);
    }

    /// @notice Sets the epoch duration in seconds (governor only).
    function setEpochDuration(uint32 epochDuration) external onlyGovernor {
        _epochDuration = epochDuration;
        emit EpochDurationUpdated(epochDuration);
    }

    /// @notice Falls back to the previous tree at once (governor only).
    function revokeTree() external onlyGovernor {
        MerkleTree memory _tree = lastTree;
        endOfDisputePeriod = 0;
        tree = _tree;
        uint32 epochDuration = getEpochDuration();
        emit Revoked();
        emit TreeUpdated(_tree.merkleRoot, _tree.ipfsHash, (uint48(block.timestamp) / epochDuration) * (epochDuration));
    }

    /// @notice Sends `amountToRecover` of `tokenAddress` held here to `to` (governor only).
    function recoverERC20(address tokenAddress, address to, uint256 amountToRecover) external onlyGovernor {
        IERC20(tokenAddress).safeTransfer(to, amountToRecover);
        emit Recovered(tokenAddress, to, amountToRecover);
    }

    /// @notice Sets the dispute period in epochs (governor only).
    function setDisputePeriod(uint48 _disputePeriod) external onlyGovernor {
        disputePeriod = uint48(_disputePeriod);
        emit DisputePeriodUpdated(_disputePeriod);
    }

    /// @dev Rounds `treeUpdate` up to the next epoch boundary, then adds `disputePeriod` epochs.
    function _endOfDisputePeriod(uint48 treeUpdate) internal view returns (uint48) {
        uint32 epochDuration = getEpochDuration();
        return ((treeUpdate - 1) / epochDuration + 1 + disputePeriod) * (epochDuration);
    }

    /// @dev Verifies `proof` of `leaf` against the live root, hashing each pair sorted.
    function _verifyProof(bytes32 leaf, bytes32[] memory proof) internal view returns (bool) {
        bytes32 currentHash = leaf;
        uint256 proofLength = proof.length;
        for (uint256 i; i < proofLength;) {
            if (currentHash < proof[i]) {
                currentHash = keccak256(abi.encode(currentHash, proof[i]));
            } else {
                currentHash = keccak256(abi.encode(proof[i], currentHash));
            }
            unchecked {
                ++i;
            }
        }
        bytes32 root = getMerkleRoot();
        if (root == bytes32(0)) revert InvalidUninitializedRoot();
        return currentHash == root;
    }
}
