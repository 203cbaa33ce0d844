// bench/peers/duckdb_query.cjs — runs one SQL query with DuckDB (the npm
// package @duckdb/node-api, installed by bench/run.sh into bench/.peers/)
// and prints the result as CSV (a header line, then the rows) on stdout.
//
//   node duckdb_query.cjs QUERY_FILE [THREADS]
//
// The time from creating the database to the last row written is printed
// on stderr as "duckdb_seconds=S": node's own start-up and the loading of
// the module are not part of it.  THREADS (default: DuckDB's own, every
// core) sets PRAGMA threads.
'use strict';
const fs = require('fs');
const path = require('path');
const { DuckDBInstance } = require(
    path.join(__dirname, '..', '.peers', 'node_modules', '@duckdb', 'node-api'));

// Text of a value as the other engines print it.
function text(v) {
  if (v === null || v === undefined) return '';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(v);
  return String(v);
}

async function main() {
  const sql = fs.readFileSync(process.argv[2], 'utf8');
  const threads = process.argv[3];
  const t0 = process.hrtime.bigint();
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  if (threads) await conn.run(`PRAGMA threads=${Number(threads)}`);
  const reader = await conn.runAndReadAll(sql);
  const names = reader.columnNames();
  const rows = reader.getRows();
  const out = [names.join(',')];
  for (const r of rows) out.push(r.map(text).join(','));
  fs.writeSync(1, out.join('\n') + '\n');
  const t1 = process.hrtime.bigint();
  process.stderr.write(`duckdb_seconds=${Number(t1 - t0) / 1e9}\n`);
}

main().catch((e) => { process.stderr.write(String(e) + '\n'); process.exit(1); });
