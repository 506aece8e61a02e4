'use strict';
// Test-only helper for NodeNachaCrossCheckTest: node parse.js FILE
// Parses FILE with @midlandsbank/node-nacha and prints one line of JSON: the control values node-nacha
// read, the values node-nacha's own calculate() recomputes from the entries it read, and every entry.
// node-nacha's parser checks nothing (it slices fixed-width fields), so the comparison is the check.
const fs = require('fs');
const nacha = require('@midlandsbank/node-nacha');
const calculate = require('@midlandsbank/node-nacha/lib/api/calculate');

const path = process.argv[2];
if (!path) {
  console.error('usage: node parse.js FILE');
  process.exit(2);
}
const data = nacha.from({ format: 'ach', source: fs.readFileSync(path, 'ascii') }).data;
const recomputed = calculate({ ach: data, set: false });

const digits = (value, width) => String(value).padStart(width, '0');
const control = (footer) => ({
  entryAddendaCount: footer.entryAndAddendaCount,
  entryHash: footer.entryHash,
  totalDebit: footer.totalDebit,
  totalCredit: footer.totalCredit,
});

const out = {
  batchCount: data.batches.length,
  entryCount: data.batches.reduce((n, batch) => n + batch.entries.length, 0),
  fileControl: Object.assign({ batchCount: data.file.footer.batchCount, blockCount: data.file.footer.blockCount },
    control(data.file.footer)),
  recomputed: Object.assign({ batchCount: recomputed.footer.batchCount, blockCount: recomputed.footer.blockCount },
    control(recomputed.footer)),
  batches: data.batches.map((batch, i) => ({
    serviceClass: String(batch.serviceClassCode),
    secCode: batch.entryClassCode,
    control: control(batch.footer),
    recomputed: control(recomputed.batchFooters[i]),
  })),
  entries: [].concat(...data.batches.map((batch) => batch.entries.map((entry) => ({
    transactionCode: entry.transactionCode,
    routing: digits(entry.receivingDFIIdentification, 8) + String(entry.checkDigit),
    account: entry.dfiAccount,
    amount: entry.amount,
    trace: digits(entry.traceNumber, 15),
  })))),
};
process.stdout.write(JSON.stringify(out) + '\n');
