// Cost of the ledger's Merkle hot paths: hashing records into leaves, appending to the compact
// range (what the single writer does per record), verifying inclusion proofs (what an auditor
// does per entry), and replaying a whole log (what the offline verifier does).
// Baselines in the same run: a streaming createHash leaf hash, and the recursive RFC 9162 MTH.
// Run: node --import tsx libs/merkle/bench/merkle.bench.ts
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  CompactRange,
  assembleProof,
  hashLeaf,
  inclusionProofPlan,
  rootFromNodes,
  rootOf,
  verifyConsistency,
  verifyInclusion,
  consistencyProofPlan,
  type Hash,
  type NodeLookup,
} from '../src/index.ts';

const RECORD_SIZE = 512; // a typical canonical evidence record
const REPLAY_RECORDS = 200_000;
const ROUNDS = 5;

/** Runs `batch` (which performs `ops` operations) ROUNDS times after a warm-up; median rate wins. */
function measure(name: string, ops: number, batch: () => void): Record<string, string> {
  batch();
  const seconds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    batch();
    seconds.push((performance.now() - t0) / 1000);
  }
  seconds.sort((a, b) => a - b);
  const median = seconds[Math.floor(seconds.length / 2)] as number;
  return {
    case: name,
    'ops/s': Math.round(ops / median).toLocaleString('en-US'),
    'median µs/op': ((median / ops) * 1e6).toFixed(2),
  };
}

function makeRecords(count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    const record = Buffer.alloc(RECORD_SIZE, i & 0xff);
    record.writeUInt32BE(i, 0);
    return record;
  });
}

function streamingLeafHash(record: Uint8Array): Buffer {
  return createHash('sha256').update(Uint8Array.of(0)).update(record).digest();
}

function recursiveRoot(leaves: readonly Hash[]): Hash {
  if (leaves.length === 1) return leaves[0] as Hash;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return createHash('sha256')
    .update(Uint8Array.of(1))
    .update(recursiveRoot(leaves.slice(0, k)))
    .update(recursiveRoot(leaves.slice(k)))
    .digest();
}

const records = makeRecords(REPLAY_RECORDS);
const leaves = records.map(hashLeaf);

// Node store of the replayed tree, as the ledger persists it.
const nodes = new Map<string, Hash>();
const tree = new CompactRange();
for (const leaf of leaves)
  for (const node of tree.append(leaf)) nodes.set(`${node.level}/${node.index}`, node.hash);
const lookup: NodeLookup = (level, index) => nodes.get(`${level}/${index}`);
const size = tree.size;
const root = tree.root();
const PROOFS = 2000;
const proofs = Array.from({ length: PROOFS }, (_, i) => {
  const index = Math.floor((i * 7919 * size) / PROOFS) % size;
  return { index, proof: assembleProof(inclusionProofPlan(index, size), lookup) };
});
const fromSizes = Array.from({ length: PROOFS }, (_, i) => 1 + ((i * 104_729) % (size - 1)));
const consistency = fromSizes.map((from) => ({
  from,
  fromRoot: rootFromNodes(from, lookup),
  proof: assembleProof(consistencyProofPlan(from, size), lookup),
}));

const LEAF_OPS = 100_000;
const rows = [
  measure(`hashLeaf (${RECORD_SIZE} B records)`, LEAF_OPS, () => {
    for (let i = 0; i < LEAF_OPS; i++) hashLeaf(records[i] as Buffer);
  }),
  measure(`baseline: createHash().update() leaf (${RECORD_SIZE} B)`, LEAF_OPS, () => {
    for (let i = 0; i < LEAF_OPS; i++) streamingLeafHash(records[i] as Buffer);
  }),
  measure('CompactRange.append (leaf hash in, nodes out)', REPLAY_RECORDS, () => {
    const range = new CompactRange();
    for (const leaf of leaves) range.append(leaf);
  }),
  measure(`verifyInclusion (tree of ${size.toLocaleString('en-US')})`, PROOFS, () => {
    for (const { index, proof } of proofs) {
      if (!verifyInclusion(leaves[index] as Hash, index, size, proof, root)) throw new Error('proof failed');
    }
  }),
  measure(`verifyConsistency (to ${size.toLocaleString('en-US')})`, PROOFS, () => {
    for (const { from, fromRoot, proof } of consistency) {
      if (!verifyConsistency(from, size, proof, fromRoot, root)) throw new Error('proof failed');
    }
  }),
  measure('inclusion proof from stored nodes (plan + assemble)', PROOFS, () => {
    for (const { index } of proofs) assembleProof(inclusionProofPlan(index, size), lookup);
  }),
  measure(
    `replay ${REPLAY_RECORDS.toLocaleString('en-US')} records: hashLeaf + rootOf (records/s)`,
    REPLAY_RECORDS,
    () => {
      if (!Buffer.from(rootOf(records.map(hashLeaf))).equals(root)) throw new Error('root mismatch');
    },
  ),
  measure(`baseline: replay with streaming hash + recursive MTH (records/s)`, REPLAY_RECORDS, () => {
    if (!Buffer.from(recursiveRoot(records.map(streamingLeafHash))).equals(root))
      throw new Error('root mismatch');
  }),
];
console.table(rows);
