// SPDX-License-Identifier: UNLICENSED
// Test-only: a 6-decimals token like mainnet USDT, whose transfer returns NOTHING (not standard ERC-20), so a
// caller that decodes a bool return would fail. The owner (the deployer) mints.
pragma solidity ^0.8.20;

contract TestTether {
    string public constant name = "Test Tether USD";
    string public constant symbol = "USDT";
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

    function transfer(address to, uint256 value) external {
        require(balanceOf[msg.sender] >= value, "balance too low");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
    }
}
