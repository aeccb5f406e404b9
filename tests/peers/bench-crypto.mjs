// Peer benchmark for `bench crypto`: nostr-tools on the same events the C# bench uses.
// Usage: node tests/peers/bench-crypto.mjs <events.jsonl>
// Each line of the file is one signed NIP-01 event. Prints one JSON object of rates (events/s):
//   hash        nostr-tools getEventHash (JSON.stringify + @noble/hashes sha256)
//   wasmSign    nostr-tools/wasm finalizeEvent with nostr-wasm (libsecp256k1 compiled to WASM)
//   wasmVerify  nostr-tools/wasm verifyEvent with nostr-wasm
//   pureSign    nostr-tools/pure finalizeEvent (@noble/curves), on the first `pureSample` events
//   pureVerify  nostr-tools/pure verifyEvent (@noble/curves), on the first `pureSample` events
// plus counts that double as a cross-check: how many of our ids getEventHash reproduces and how many
// of our signatures nostr-wasm accepts. The signing key is generated here and never printed.
import { readFileSync } from 'node:fs';
import * as pure from 'nostr-tools/pure';
import * as wasmTools from 'nostr-tools/wasm';
import { initNostrWasm } from 'nostr-wasm';

const file = process.argv[2];
if (!file) {
  console.error('usage: node bench-crypto.mjs <events.jsonl>');
  process.exit(2);
}

const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0);
const events = lines.map((line, i) => {
  try {
    return JSON.parse(line);
  } catch (err) {
    console.error(`${file}: line ${i + 1}: not JSON: ${err.message}`);
    process.exit(1);
  }
});

wasmTools.setNostrWasm(await initNostrWasm());
const secretKey = wasmTools.generateSecretKey();

const template = (e) => ({ created_at: e.created_at, kind: e.kind, tags: e.tags, content: e.content });
// verifyEvent caches its verdict on the object, so every timed call gets its own fresh parse.
const freshCopies = (count) => lines.slice(0, count).map((l) => JSON.parse(l));

// Warm-up and timed run get separate inputs, so no timed call sees an object already verified.
function rate(count, prepare, fn) {
  for (const input of prepare(Math.min(count, 500))) fn(input);
  const inputs = prepare(count);
  const start = process.hrtime.bigint();
  for (const input of inputs) fn(input);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return count / seconds;
}

const n = events.length;
const firstEvents = (count) => events.slice(0, count);
const templates = (count) => events.slice(0, count).map(template);

let idsMatching = 0;
for (const e of events) if (pure.getEventHash(e) === e.id) idsMatching++;
let wasmAccepted = 0;
for (const e of freshCopies(n)) if (wasmTools.verifyEvent(e)) wasmAccepted++;

const hash = rate(n, firstEvents, (e) => pure.getEventHash(e));
const wasmSign = rate(n, templates, (t) => wasmTools.finalizeEvent(t, secretKey));
const wasmVerify = rate(n, freshCopies, (e) => wasmTools.verifyEvent(e));

const pureSample = Math.min(n, 500);
const pureSign = rate(pureSample, templates, (t) => pure.finalizeEvent(t, secretKey));
const pureVerify = rate(pureSample, freshCopies, (e) => pure.verifyEvent(e));

console.log(JSON.stringify({ events: n, idsMatching, wasmAccepted, hash, wasmSign, wasmVerify, pureSample, pureSign, pureVerify }));
