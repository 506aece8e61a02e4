/**
 * ERC-20 token payouts (USDC, USDT) on EVM chains: {@link com.fanzfinance.payouts.evm.Erc20Rail} signs EIP-1559
 * transfers with web3j and talks to the node through the server's {@code RailHttp}
 * ({@link com.fanzfinance.payouts.evm.RailHttpService}); {@link com.fanzfinance.payouts.evm.NonceStore} keeps the hot
 * wallet's nonces apart.
 */
package com.fanzfinance.payouts.evm;
