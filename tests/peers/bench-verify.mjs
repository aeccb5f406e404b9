// Peer benchmark for `bench verify`: what a nostr-tools verifier does to check a published trajectory.
// Usage:
//   node tests/peers/bench-verify.mjs <ws-url> <agent-pubkey-hex> <sid> [rounds]
// Fetches every session version (kind 39230, author, #d) and every step (kind 39231, #a coordinate),
// paging backwards with `until` past the relay's limit, verifies every event with nostr-tools/wasm
// verifyEvent (nostr-wasm: libsecp256k1 compiled to WASM) on a fresh JSON copy, orders the steps by seq
// and recomputes trajectory_hash (SHA-256 of the contents joined with "\n").
// The clock starts after the imports and the WASM set-up and stops before the connection is closed;
// connecting, fetching, verifying and hashing are all inside it. With rounds > 1 the whole thing runs
// again on a new connection in the same process (warm code), each round timed alone.
// Prints one JSON object: count (events), steps, valid, seconds (first round), rate (events/s),
// trajectoryHash, and rounds (seconds of every round, the first included).
import { createHash } from 'node:crypto';
import { AbstractRelay } from 'nostr-tools/abstract-relay';
import * as wasmTools from 'nostr-tools/wasm';
import { initNostrWasm } from 'nostr-wasm';
import WebSocket from 'ws';

const [url, author, sid, roundsArg] = process.argv.slice(2);
const rounds = roundsArg === undefined ? 1 : Number(roundsArg);
if (!url || !author || !sid || !Number.isInteger(rounds) || rounds < 1) {
  console.error('usage: node bench-verify.mjs <url> <author-hex> <sid> [rounds]');
  process.exit(2);
}

wasmTools.setNostrWasm(await initNostrWasm());
const PAGE = 500;

async function run() {
  const start = performance.now();
  const relay = new AbstractRelay(url, {
    // Verification happens below, on every event, exactly once.
    verifyEvent: () => true,
    websocketImplementation: globalThis.WebSocket ?? WebSocket,
  });
  relay.baseEoseTimeout = 600_000;
  await relay.connect({ timeout: 10_000 });

  async function page(filter) {
    const got = [];
    await new Promise((resolve) => {
      const sub = relay.subscribe([filter], {
        onevent(e) { got.push(JSON.stringify(e)); },
        oneose() { sub.close(); resolve(); },
      });
    });
    return got;
  }

  async function fetchAll(filter) {
    const seen = new Map();
    let until;
    for (;;) {
      const raw = await page(until === undefined ? { ...filter, limit: PAGE } : { ...filter, limit: PAGE, until });
      let fresh = 0;
      let oldest;
      for (const text of raw) {
        const e = JSON.parse(text);
        oldest = oldest === undefined ? e.created_at : Math.min(oldest, e.created_at);
        if (!seen.has(e.id)) {
          seen.set(e.id, text);
          fresh++;
        }
      }
      if (fresh === 0 || oldest === undefined) break;
      until = oldest;
    }
    return [...seen.values()];
  }

  const coordinate = `39230:${author}:${sid}`;
  const [sessions, steps] = await Promise.all([
    fetchAll({ kinds: [39230], authors: [author], '#d': [sid] }),
    fetchAll({ kinds: [39231], '#a': [coordinate] }),
  ]);
  let valid = 0;
  const good = [];
  for (const text of [...sessions, ...steps]) {
    const e = JSON.parse(text);
    if (wasmTools.verifyEvent(e)) {
      valid++;
      if (e.kind === 39231) good.push(e);
    }
  }
  good.sort((a, b) => Number(a.tags.find((t) => t[0] === 'seq')[1]) - Number(b.tags.find((t) => t[0] === 'seq')[1]));
  const trajectoryHash = createHash('sha256').update(good.map((e) => e.content).join('\n'), 'utf8').digest('hex');
  const seconds = (performance.now() - start) / 1000;
  relay.close();
  return { count: sessions.length + steps.length, steps: steps.length, valid, seconds, trajectoryHash };
}

const results = [];
for (let i = 0; i < rounds; i++) {
  results.push(await run());
}
const first = results[0];
console.log(JSON.stringify({ ...first, rate: first.count / first.seconds, rounds: results.map((r) => r.seconds) }));
process.exit(0);
