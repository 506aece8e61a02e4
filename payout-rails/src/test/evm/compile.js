// Test-only: compiles every *.sol in this directory with solc-js (the pinned npm `solc`) and writes
// build/<Contract>.json holding {"abi": [...], "bin": "<creation bytecode hex>"} for AnvilChain.deploy.
'use strict';
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const dir = __dirname;
const sources = {};
for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.sol')).sort()) {
  sources[file] = { content: fs.readFileSync(path.join(dir, file), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    evmVersion: 'cancun',
    optimizer: { enabled: true, runs: 200 },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
for (const e of output.errors || []) console.error(e.formattedMessage);
if (errors.length > 0) process.exit(1);
const out = path.join(dir, 'build');
fs.mkdirSync(out, { recursive: true });
for (const file of Object.keys(output.contracts)) {
  for (const [name, contract] of Object.entries(output.contracts[file])) {
    fs.writeFileSync(path.join(out, name + '.json'),
      JSON.stringify({ abi: contract.abi, bin: contract.evm.bytecode.object }));
    console.error('compiled ' + name + ' (solc ' + solc.version() + ')');
  }
}
