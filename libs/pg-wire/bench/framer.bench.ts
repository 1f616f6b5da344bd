// Cost of the PostgreSQL edge's per-message hot path on a result stream: framing upstream bytes
// into messages (what every forwarded byte goes through), indexing DataRow cells (what masking
// needs before it looks at a column) and rewriting one cell per row.
// Baseline in the same run: node-postgres' own backend Parser (pg-protocol), which frames and
// decodes every cell into a string - what a proxy built on a driver's parser would pay.
// Run: node --import tsx libs/pg-wire/bench/framer.bench.ts
import { performance } from 'node:perf_hooks';
import { Parser } from 'pg-protocol/dist/parser.js';
import {
  DataRowCells,
  encodeCommandComplete,
  encodeDataRow,
  encodeReadyForQuery,
  forEachDataRowCell,
  MessageFramer,
  MessageSource,
  rewriteDataRow,
} from '../src/index.ts';

const ROWS = 200_000;
const CHUNK = 16 * 1024; // a typical socket read
const ROUNDS = 7;

/** Runs `batch` (performing `ops` operations) ROUNDS times after a warm-up; reports the median. */
function measure(name: string, ops: number, batch: () => void): Record<string, string> {
  batch();
  const seconds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    batch();
    seconds.push((performance.now() - t0) / 1000);
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)]!;
  return {
    case: name,
    'ops/s': Math.round(ops / median).toLocaleString('en-US'),
    'median ms/batch': (median * 1000).toFixed(1),
  };
}

// A small-row result set: id, email, name, nullable phone (the demo table's shape).
const rows = Array.from({ length: ROWS }, (_, i) =>
  encodeDataRow([
    String(i),
    `user${i}@example.com`,
    `Person Number ${i}`,
    i % 3 === 0 ? null : '+1 555 0100',
  ]),
);
const stream = Buffer.concat([...rows, encodeCommandComplete(`SELECT ${ROWS}`), encodeReadyForQuery('I')]);
const messageCount = ROWS + 2;
const chunks: Buffer[] = [];
for (let offset = 0; offset < stream.length; offset += CHUNK)
  chunks.push(stream.subarray(offset, offset + CHUNK));
const cellCount = ROWS * 4;

let sink = 0; // keeps results observable so nothing is optimised away

const results = [
  measure(
    `MessageFramer: frames/s (${messageCount.toLocaleString('en-US')} msgs, 16 KiB chunks)`,
    messageCount,
    () => {
      const framer = new MessageFramer({ source: MessageSource.Backend });
      let frames = 0;
      for (const chunk of chunks) {
        framer.push(chunk);
        for (let frame = framer.next(); frame !== null; frame = framer.next()) frames++;
      }
      if (frames !== messageCount) throw new Error(`framed ${frames}`);
    },
  ),
  measure('MessageFramer + message() view per frame (forwarding)', messageCount, () => {
    const framer = new MessageFramer({ source: MessageSource.Backend });
    for (const chunk of chunks) {
      framer.push(chunk);
      for (let frame = framer.next(); frame !== null; frame = framer.next()) sink += frame.message().length;
    }
  }),
  measure('baseline: pg-protocol Parser (frames + decodes every cell)', messageCount, () => {
    const parser = new Parser();
    let frames = 0;
    for (const chunk of chunks) parser.parse(chunk, () => frames++);
    if (frames !== messageCount) throw new Error(`parsed ${frames}`);
  }),
  measure('forEachDataRowCell: cells/s (offset, length only)', cellCount, () => {
    for (const row of rows) forEachDataRowCell(row, (_index, offset, length) => (sink += offset + length));
  }),
  measure('DataRowCells.reset (reused): cells/s indexed', cellCount, () => {
    const cells = new DataRowCells();
    for (const row of rows) sink += cells.reset(row).count;
  }),
  measure('DataRowCells: index + read email as text: rows/s', ROWS, () => {
    const cells = new DataRowCells();
    for (const row of rows) sink += cells.reset(row).text(1)!.length;
  }),
  measure('rewriteDataRow: mask email cell: rows/s', ROWS, () => {
    const cells = new DataRowCells();
    const replacement = new Map([[1, 'u***@example.com']]);
    for (const row of rows) sink += rewriteDataRow(cells.reset(row), replacement).length;
  }),
  measure('baseline: encodeDataRow of the whole masked row: rows/s', ROWS, () => {
    for (let i = 0; i < ROWS; i++) {
      sink += encodeDataRow([
        String(i),
        'u***@example.com',
        `Person Number ${i}`,
        i % 3 === 0 ? null : '+1 555 0100',
      ]).length;
    }
  }),
];
console.table(results);
if (sink === -1) console.log(sink);
