// Cross-check peer: answers one JSON line per JSON-line command read from stdin, using three
// independent Nostr implementations: nostr-tools (pure JS, @noble), nostr-tools/wasm (libsecp256k1
// via nostr-wasm) and rust-nostr compiled to WASM.
//
// Commands (one JSON object per line; an optional "tag" field is echoed back):
//   {"op":"hash","event":{pubkey,created_at,kind,tags,content,...}}
//       -> {"ok":true,"nostrTools":<hex>,"rustNostr":<hex>}
//   {"op":"verify","event":{...signed event...}}
//       -> {"ok":true,"nostrTools":bool,"nostrWasm":bool,"rustNostr":bool,"rustNostrError":string|null}
//   {"op":"sign","template":{created_at,kind,tags,content},"sk":<hex>}
//       -> {"ok":true,"nostrTools":<event>,"rustNostr":<event>}
//   {"op":"pubkey","sk":<hex>} -> {"ok":true,"nostrTools":<hex>,"rustNostr":<hex>}
// A command that cannot be processed answers {"ok":false,"error":"line N: ..."} and the batch goes on.
// Secret keys given on stdin are throwaway test keys; they are never echoed or printed.
import { createInterface } from 'node:readline';
import * as pure from 'nostr-tools/pure';
import * as wasmTools from 'nostr-tools/wasm';
import { initNostrWasm } from 'nostr-wasm';
import * as rust from '@rust-nostr/nostr-sdk';

await rust.loadWasmAsync();
wasmTools.setNostrWasm(await initNostrWasm());

function hexToBytes(hex) {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error('sk must be 64 lower-case hex characters');
  }
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function requireEvent(value, name) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`"${name}" must be a JSON object`);
  }
  return value;
}

// Frees rust-nostr WASM objects: without it a batch of thousands of events grows WASM memory.
function using(objects, fn) {
  try {
    return fn();
  } finally {
    for (const o of objects) {
      try { o?.free(); } catch { /* already consumed */ }
    }
  }
}

function rustId(ev) {
  const pk = rust.PublicKey.parse(ev.pubkey);
  const ts = rust.Timestamp.fromSecs(ev.created_at);
  const kind = new rust.Kind(ev.kind);
  const tags = rust.Tags.parse(ev.tags);
  return using([pk, ts, kind, tags], () => {
    const id = new rust.EventId(pk, ts, kind, tags, ev.content);
    return using([id], () => id.toHex());
  });
}

function hash(cmd) {
  const ev = requireEvent(cmd.event, 'event');
  return {
    nostrTools: pure.getEventHash(ev),
    rustNostr: rustId(ev),
  };
}

function verify(cmd) {
  const ev = requireEvent(cmd.event, 'event');
  const json = JSON.stringify(ev);
  // verifyEvent caches its verdict on the object (and spreads copy it): verify fresh parses.
  const nostrTools = pure.verifyEvent(JSON.parse(json));
  const nostrWasm = wasmTools.verifyEvent(JSON.parse(json));
  let rustNostr = false;
  let rustNostrError = null;
  try {
    const parsed = rust.Event.fromJson(json);
    rustNostr = using([parsed], () => parsed.verify());
  } catch (error) {
    rustNostrError = String(error?.message ?? error);
  }
  return { nostrTools, nostrWasm, rustNostr, rustNostrError };
}

function sign(cmd) {
  const template = requireEvent(cmd.template, 'template');
  const skBytes = hexToBytes(cmd.sk);
  const fromTools = pure.finalizeEvent(
    { created_at: template.created_at, kind: template.kind, tags: template.tags, content: template.content },
    skBytes,
  );
  const toolsEvent = {
    id: fromTools.id,
    pubkey: fromTools.pubkey,
    created_at: fromTools.created_at,
    kind: fromTools.kind,
    tags: fromTools.tags,
    content: fromTools.content,
    sig: fromTools.sig,
  };
  // rust-nostr signs an UnsignedEvent built from the exact template, so nothing is reordered or added.
  const keys = rust.Keys.parse(cmd.sk);
  const rustEvent = using([keys], () => {
    const pubkey = keys.publicKey;
    const unsigned = rust.UnsignedEvent.fromJson(JSON.stringify({
      pubkey: pubkey.toHex(),
      created_at: template.created_at,
      kind: template.kind,
      tags: template.tags,
      content: template.content,
    }));
    return using([pubkey], () => {
      const signed = unsigned.signWithKeys(keys);
      return using([signed], () => JSON.parse(signed.asJson()));
    });
  });
  return { nostrTools: toolsEvent, rustNostr: rustEvent };
}

function pubkey(cmd) {
  const skBytes = hexToBytes(cmd.sk);
  const keys = rust.Keys.parse(cmd.sk);
  const rustHex = using([keys], () => {
    const pk = keys.publicKey;
    return using([pk], () => pk.toHex());
  });
  return { nostrTools: pure.getPublicKey(skBytes), rustNostr: rustHex };
}

const ops = { hash, verify, sign, pubkey };

const out = [];
let lineNo = 0;
const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of rl) {
  lineNo++;
  if (line.trim() === '') continue;
  let answer;
  let tag;
  try {
    const cmd = JSON.parse(line);
    tag = cmd.tag;
    const op = ops[cmd.op];
    if (!op) throw new Error(`unknown op ${JSON.stringify(cmd.op)} (expected hash, verify, sign or pubkey)`);
    answer = { ok: true, ...op(cmd) };
  } catch (error) {
    answer = { ok: false, error: `line ${lineNo}: ${String(error?.message ?? error)}` };
  }
  if (tag !== undefined) answer.tag = tag;
  out.push(JSON.stringify(answer));
  if (out.length >= 256) {
    process.stdout.write(out.join('\n') + '\n');
    out.length = 0;
  }
}
if (out.length > 0) process.stdout.write(out.join('\n') + '\n');
