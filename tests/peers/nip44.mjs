// NIP-44 v2 peer: answers one JSON line per JSON-line command on stdin, with two independent
// implementations, nostr-tools (pure JS, @noble) and rust-nostr compiled to WASM.
//
//   {"op":"key","sk":<hex>,"pk":<hex>}                 -> {"ok":true,"nostrTools":<conversation key hex>}
//   {"op":"encrypt","sk":<hex>,"pk":<hex>,"plaintext":<string>}
//       -> {"ok":true,"nostrTools":<payload>,"rustNostr":<payload>}   (each with its own random nonce)
//   {"op":"decrypt","sk":<hex>,"pk":<hex>,"payload":<string>}
//       -> {"ok":true,"nostrTools":<plaintext>|null,"nostrToolsError":..,"rustNostr":<plaintext>|null,"rustNostrError":..}
// Secret keys on stdin are throwaway test keys; they are never echoed or printed.
import { createInterface } from 'node:readline';
import * as nip44 from 'nostr-tools/nip44';
import * as rust from '@rust-nostr/nostr-sdk';

await rust.loadWasmAsync();

function bytes(hex, name) {
  if (typeof hex !== 'string' || !/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${name} must be 64 lower-case hex characters`);
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

function withRustKeys(cmd, fn) {
  bytes(cmd.sk, 'sk');
  bytes(cmd.pk, 'pk');
  const sk = rust.SecretKey.parse(cmd.sk);
  const pk = rust.PublicKey.parse(cmd.pk);
  try {
    return fn(sk, pk);
  } finally {
    sk.free();
    pk.free();
  }
}

function attempt(fn) {
  try {
    return [fn(), null];
  } catch (error) {
    return [null, String(error?.message ?? error)];
  }
}

const ops = {
  key: (cmd) => ({ nostrTools: Buffer.from(nip44.v2.utils.getConversationKey(bytes(cmd.sk, 'sk'), cmd.pk)).toString('hex') }),
  encrypt: (cmd) => ({
    nostrTools: nip44.v2.encrypt(cmd.plaintext, nip44.v2.utils.getConversationKey(bytes(cmd.sk, 'sk'), cmd.pk)),
    rustNostr: withRustKeys(cmd, (sk, pk) => rust.nip44Encrypt(sk, pk, cmd.plaintext, rust.NIP44Version.V2)),
  }),
  decrypt: (cmd) => {
    const [nostrTools, nostrToolsError] = attempt(() => nip44.v2.decrypt(cmd.payload, nip44.v2.utils.getConversationKey(bytes(cmd.sk, 'sk'), cmd.pk)));
    const [rustNostr, rustNostrError] = attempt(() => withRustKeys(cmd, (sk, pk) => rust.nip44Decrypt(sk, pk, cmd.payload)));
    return { nostrTools, nostrToolsError, rustNostr, rustNostrError };
  },
};

const out = [];
let lineNo = 0;
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  lineNo++;
  if (line.trim() === '') continue;
  let answer;
  try {
    const cmd = JSON.parse(line);
    const op = ops[cmd.op];
    if (!op) throw new Error(`unknown op ${JSON.stringify(cmd.op)} (expected key, encrypt or decrypt)`);
    answer = { ok: true, ...op(cmd) };
  } catch (error) {
    answer = { ok: false, error: `line ${lineNo}: ${String(error?.message ?? error)}` };
  }
  out.push(JSON.stringify(answer));
}
process.stdout.write(out.join('\n') + '\n');
