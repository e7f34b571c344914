// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// An ERC-20 with chosen decimals. The fixture owner can mint (to fund pools and users).
contract TestToken is ERC20 {
    uint8 private immutable _decimals;
    address private immutable _owner;
    constructor(string memory name_, string memory symbol_, uint8 decimals_, address to, uint256 amount) ERC20(name_, symbol_) {
        _decimals = decimals_;
        _owner = msg.sender;
        _mint(to, amount);
    }
    function decimals() public view override returns (uint8) { return _decimals; }
    function mint(address to, uint256 amount) external { require(msg.sender == _owner, "owner"); _mint(to, amount); }
}

/// A token whose balanceOf always reverts: one bad token must not sink the whole read.
contract RevertingToken is ERC20 {
    constructor() ERC20("Broken Token", "BRKN") {}
    function balanceOf(address) public pure override returns (uint256) { revert("balanceOf is broken"); }
}

/// A token that answers with garbage: absurd decimals and a symbol that is not ABI data.
contract GarbageToken {
    function balanceOf(address) external pure returns (uint256) { return 5; }
    function decimals() external pure returns (uint256) { return 77; }
    function name() external pure returns (string memory) { return "Garbage"; }
    function symbol() external pure returns (string memory) {
        assembly { mstore(0, 0x0102030400000000000000000000000000000000000000000000000000000000) return(0, 5) }
    }
}

/// A token whose balanceOf burns all the gas it is given (a griefing contract): in a
/// Multicall3 batch it can starve the calls after it.
contract GasBurnerToken {
    function balanceOf(address) external view returns (uint256 n) {
        while (gasleft() > 1000) { n = uint256(keccak256(abi.encode(n, gasleft()))); }
        revert("out of gas on purpose");
    }
    function decimals() external pure returns (uint8) { return 18; }
    function symbol() external pure returns (string memory) { return "BURN"; }
    function name() external pure returns (string memory) { return "Gas Burner"; }
}
