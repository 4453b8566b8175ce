// Peer: DuckDB's read_json with declared columns (npm package @duckdb/node-api), the way a
// person would answer the question in SQL. Same aggregation and summary line as
// bench/reference. bench/run installs the package into bench/peers/node_modules on first use.
//
// usage: node duckdb_read_json.mjs FILE [--threads N] [--as-of 2026-11-01T00:00:00Z] [--window-days 30]
import { DuckDBInstance } from '@duckdb/node-api';

const args = process.argv.slice(2);
let file = null;
let threads = 2;
let asOf = '2026-11-01T00:00:00Z';
let windowDays = 30;
for (let i = 0; i < args.length; ++i) {
  if (args[i] === '--threads') threads = Number(args[++i]);
  else if (args[i] === '--as-of') asOf = args[++i];
  else if (args[i] === '--window-days') windowDays = Number(args[++i]);
  else file = args[i];
}
if (!file) {
  console.error('usage: node duckdb_read_json.mjs FILE [--threads N] [--as-of ISO] [--window-days N]');
  process.exit(2);
}
if (asOf.length === 10) asOf += 'T00:00:00Z';
const asOfEpoch = Math.floor(Date.parse(asOf) / 1000);
const start = asOfEpoch - windowDays * 86400;
const quoted = file.replaceAll("'", "''");

const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
const connection = await instance.connect();
const sql = `
WITH events AS (
  SELECT actor.id AS u,
         epoch(date_trunc('second', published))::BIGINT AS t,
         list_filter(target, x -> x."type" = 'AppInstance')[1].id AS a
  FROM read_json('${quoted}', format = 'newline_delimited', columns = {
         eventType: 'VARCHAR',
         outcome: 'STRUCT(result VARCHAR)',
         published: 'TIMESTAMP',
         actor: 'STRUCT(id VARCHAR)',
         target: 'STRUCT(id VARCHAR, "type" VARCHAR)[]'})
  WHERE eventType = 'user.authentication.sso' AND outcome.result = 'SUCCESS'
), pairs AS (
  SELECT a, u, max(t) AS last, count(*) AS events, count(*) FILTER (WHERE t >= ${start}) AS in_window
  FROM events
  WHERE t <= ${asOfEpoch} AND a IS NOT NULL AND u IS NOT NULL
  GROUP BY a, u
)
SELECT count(*)::BIGINT AS pairs, coalesce(sum(events), 0)::BIGINT AS events,
       coalesce(sum(in_window), 0)::BIGINT AS in_window, coalesce(sum(last), 0)::BIGINT AS last_sum
FROM pairs`;
const reader = await connection.runAndReadAll(sql);
const [row] = reader.getRows();
console.log(`pairs=${row[0]} events=${row[1]} in_window=${row[2]} last_seen_sum=${row[3]} errors=0`);
