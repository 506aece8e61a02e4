// SPDX-License-Identifier: UNLICENSED
// Test-only: a minimal 6-decimals ERC-20 like USDC (transfer returns bool). The owner (the deployer) mints.
pragma solidity ^0.8.20;

contract TestUsdc {
    string public constant name = "Test USD Coin";
    string public constant symbol = "USDC";
    address public immutable owner;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor() {
        owner = msg.sender;
    }

    function decimals() external pure returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 value) external {
        require(msg.sender == owner, "only the owner mints");
        totalSupply += value;
        balanceOf[to] += value;
        emit Transfer(address(0), to, value);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "balance too low");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }
}
