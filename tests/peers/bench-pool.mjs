// Peer benchmark for `bench pool`: a nostr-tools relay client doing what our pool does.
// Usage:
//   node tests/peers/bench-pool.mjs publish <ws-url> <events.jsonl>
//     publishes every event (one per line, pre-signed) over one connection, all in flight at once
//     (pipelined), and waits for every OK.
//   node tests/peers/bench-pool.mjs query <ws-url> <author-hex> <limit>
//     one REQ {authors:[author], limit} collected until EOSE; every event verified with
//     nostr-tools/wasm verifyEvent (nostr-wasm, libsecp256k1 compiled to WASM).
// Prints one JSON object: count, accepted (publish), seconds, rate (events/s), rssStartMb, rssPeakMb.
import { readFileSync } from 'node:fs';
import { AbstractRelay } from 'nostr-tools/abstract-relay';
import * as wasmTools from 'nostr-tools/wasm';
import { initNostrWasm } from 'nostr-wasm';
import WebSocket from 'ws';

const [mode, url, ...rest] = process.argv.slice(2);
if (!mode || !url) {
  console.error('usage: node bench-pool.mjs publish <url> <events.jsonl> | query <url> <author> <limit>');
  process.exit(2);
}

wasmTools.setNostrWasm(await initNostrWasm());
const mb = () => process.memoryUsage().rss / (1024 * 1024);
const rssStartMb = mb();
let rssPeakMb = rssStartMb;
const sampler = setInterval(() => { rssPeakMb = Math.max(rssPeakMb, mb()); }, 50);

const relay = new AbstractRelay(url, {
  verifyEvent: wasmTools.verifyEvent,
  websocketImplementation: globalThis.WebSocket ?? WebSocket,
});
relay.publishTimeout = 600_000;
relay.baseEoseTimeout = 600_000;
await relay.connect({ timeout: 10_000 });

let out;
if (mode === 'publish') {
  const file = rest[0];
  const events = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim().length > 0).map((l, i) => {
    try {
      return JSON.parse(l);
    } catch (err) {
      console.error(`${file}: line ${i + 1}: not JSON: ${err.message}`);
      process.exit(1);
    }
  });
  const start = performance.now();
  const results = await Promise.allSettled(events.map((e) => relay.publish(e)));
  const seconds = (performance.now() - start) / 1000;
  const accepted = results.filter((r) => r.status === 'fulfilled').length;
  const firstError = results.find((r) => r.status === 'rejected');
  out = { count: events.length, accepted, seconds, rate: events.length / seconds, firstError: firstError ? String(firstError.reason) : null };
} else if (mode === 'query') {
  const [author, limit] = rest;
  const start = performance.now();
  let count = 0;
  await new Promise((resolve) => {
    const sub = relay.subscribe([{ authors: [author], limit: Number(limit) }], {
      onevent() { count++; },
      oneose() { sub.close(); resolve(); },
    });
  });
  const seconds = (performance.now() - start) / 1000;
  out = { count, seconds, rate: count / seconds };
} else {
  console.error(`unknown mode ${mode}`);
  process.exit(2);
}

clearInterval(sampler);
rssPeakMb = Math.max(rssPeakMb, mb());
relay.close();
console.log(JSON.stringify({ ...out, rssStartMb, rssPeakMb }));
process.exit(0);
