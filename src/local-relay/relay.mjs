// Local Nostr relay for SovereignTrajectories tests and demos.
// CodyTseng's @nostr-relay/* library on a `ws` server, bound to loopback by default.
// Every client message gets a machine-readable answer (OK false / CLOSED with a NIP-01 prefix),
// because the library reports several failures only as NOTICE and a client waiting for OK would hang.
// See README.md for the environment variables.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { NostrRelay } from '@nostr-relay/core';
import { EventRepositorySqlite } from '@nostr-relay/event-repository-sqlite';
import { Validator } from '@nostr-relay/validator';

const env = process.env;

function intEnv(name, fallback) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`relay: ${name}="${raw}" is not a non-negative integer\n`);
    process.exit(2);
  }
  return value;
}

const config = {
  host: env.RELAY_HOST || '127.0.0.1',
  port: intEnv('RELAY_PORT', 0),
  dbPath: env.RELAY_DB || '',
  maxContentLength: intEnv('RELAY_MAX_CONTENT_LENGTH', 102400),
  maxMessageLength: intEnv('RELAY_MAX_MESSAGE_LENGTH', 1024 * 1024),
  maxLimit: intEnv('RELAY_MAX_LIMIT', 1000),
  defaultLimit: intEnv('RELAY_DEFAULT_LIMIT', 100),
  maxEventTags: intEnv('RELAY_MAX_EVENT_TAGS', 2000),
  maxSubscriptions: intEnv('RELAY_MAX_SUBSCRIPTIONS', 20),
  requireAuth: env.RELAY_AUTH === '1',
  hostname: env.RELAY_HOSTNAME || env.RELAY_HOST || '127.0.0.1',
  createdAtLower: intEnv('RELAY_CREATED_AT_LOWER', 0),
  createdAtUpper: intEnv('RELAY_CREATED_AT_UPPER', 0),
  exitOnStdinClose: env.RELAY_EXIT_ON_STDIN_CLOSE === '1',
  logLevel: env.RELAY_LOG_LEVEL || 'warn',
};

// stdout carries only the ready line; everything else goes to stderr.
const levels = { debug: 0, info: 1, warn: 2, error: 3 };
const logger = {
  level: levels[config.logLevel] ?? 2,
  setLogLevel() {},
  log(level, message, ...args) {
    if (levels[level] < this.level) return;
    const extra = args.map(a => (a instanceof Error ? a.message : String(a))).join(' ');
    process.stderr.write(`relay ${level}: ${message}${extra ? ' ' + extra : ''}\n`);
  },
  debug(message, ...args) { this.log('debug', message, ...args); },
  info(message, ...args) { this.log('info', message, ...args); },
  warn(message, ...args) { this.log('warn', message, ...args); },
  error(message, ...args) { this.log('error', message, ...args); },
};

// A fresh temp database unless RELAY_DB names one; only the temp one is ours to delete.
let ownedDbDir = null;
let dbPath = config.dbPath;
if (!dbPath) {
  ownedDbDir = mkdtempSync(join(tmpdir(), 'sovtraj-relay-'));
  dbPath = join(ownedDbDir, 'events.db');
}

// Runs on every exit path, including crashes, so a temp database never outlives the relay.
process.on('exit', () => {
  if (ownedDbDir) rmSync(ownedDbDir, { recursive: true, force: true });
});

const repository = new EventRepositorySqlite(dbPath, { defaultLimit: config.defaultLimit });
// The repository caps `limit` at 10x its default; lift that cap so RELAY_MAX_LIMIT alone decides.
repository.maxLimit = Math.max(config.maxLimit, config.defaultLimit);
await repository.init();

const relay = new NostrRelay(repository, {
  hostname: config.requireAuth ? config.hostname : undefined,
  logger,
  maxSubscriptionsPerClient: config.maxSubscriptions,
  filterResultCacheTtl: 0,
  eventHandlingResultCacheTtl: 0,
});

const validator = new Validator({
  maxContentLength: config.maxContentLength,
  maxNumberOfTags: config.maxEventTags,
});

const supportedNips = [1, 9, 11];
if (config.requireAuth) supportedNips.push(42);

const limitation = {
  max_message_length: config.maxMessageLength,
  max_subscriptions: config.maxSubscriptions,
  max_limit: config.maxLimit,
  default_limit: config.defaultLimit,
  max_event_tags: config.maxEventTags,
  max_content_length: config.maxContentLength,
  max_subid_length: 128,
  auth_required: config.requireAuth,
  payment_required: false,
  restricted_writes: config.requireAuth,
};
if (config.createdAtLower > 0) limitation.created_at_lower_limit = config.createdAtLower;
if (config.createdAtUpper > 0) limitation.created_at_upper_limit = config.createdAtUpper;

const infoDocument = JSON.stringify({
  name: 'sovtraj-local-relay',
  description: 'Local test relay for SovereignTrajectories (@nostr-relay/core 0.0.40 on ws, SQLite store)',
  software: 'https://github.com/CodyTseng/nostr-relay',
  version: '0.0.40',
  supported_nips: supportedNips,
  limitation,
});

const corsHeaders = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': '*',
  'Access-Control-Allow-Methods': 'GET, OPTIONS',
};

const server = createServer((req, res) => {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, corsHeaders);
    res.end();
    return;
  }
  const accept = req.headers.accept || '';
  if (req.method === 'GET' && accept.includes('application/nostr+json')) {
    res.writeHead(200, { ...corsHeaders, 'Content-Type': 'application/nostr+json' });
    res.end(infoDocument);
    return;
  }
  res.writeHead(200, { ...corsHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end('sovtraj local Nostr relay: connect with a WebSocket, or GET with Accept: application/nostr+json for NIP-11.\n');
});

const wss = new WebSocketServer({ server, maxPayload: config.maxMessageLength });

function send(ws, message) {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function withPrefix(prefix, message) {
  const text = String(message || '').trim();
  return /^[a-z-]+: /.test(text) ? text : `${prefix}: ${text || 'unknown'}`;
}

function isString(value) {
  return typeof value === 'string';
}

// The sqlite repository silently returns nothing for a filter with more than two distinct
// tag keys; refusing it is better than a client mistaking "nothing" for "no events".
function tooManyTagKeys(filter) {
  const keys = new Set(Object.keys(filter).filter(k => k.startsWith('#')));
  return keys.size > 2;
}

function createdAtProblem(event) {
  const now = Math.floor(Date.now() / 1000);
  if (config.createdAtLower > 0 && event.created_at < now - config.createdAtLower) {
    return `invalid: created_at ${event.created_at} is more than ${config.createdAtLower} s in the past`;
  }
  if (config.createdAtUpper > 0 && event.created_at > now + config.createdAtUpper) {
    return `invalid: created_at ${event.created_at} is more than ${config.createdAtUpper} s in the future`;
  }
  return null;
}

async function onEvent(ws, frame) {
  const rawEvent = frame[1];
  const id = rawEvent && isString(rawEvent.id) ? rawEvent.id : '';
  if (frame.length !== 2) {
    send(ws, ['OK', id, false, 'invalid: EVENT frame must have exactly 2 elements']);
    return;
  }
  let event;
  try {
    event = await validator.validateEvent(rawEvent);
  } catch (error) {
    send(ws, ['OK', id, false, withPrefix('invalid', error.message)]);
    return;
  }
  if (config.requireAuth && !relay.isAuthorized(ws)) {
    send(ws, ['OK', id, false, 'auth-required: send AUTH (NIP-42) before publishing']);
    return;
  }
  const timeProblem = createdAtProblem(event);
  if (timeProblem) {
    send(ws, ['OK', id, false, timeProblem]);
    return;
  }
  try {
    // The library sends the OK itself for EVENT frames.
    await relay.handleMessage(ws, ['EVENT', event]);
  } catch (error) {
    send(ws, ['OK', id, false, withPrefix('error', error.message)]);
  }
}

async function onReq(ws, frame) {
  const subId = frame[1];
  if (!isString(subId) || subId.length === 0 || subId.length > 128) {
    send(ws, ['NOTICE', 'invalid: REQ needs a subscription id of 1-128 characters']);
    return;
  }
  let filters;
  try {
    filters = await validator.validateFilters(frame.slice(2));
  } catch (error) {
    send(ws, ['CLOSED', subId, withPrefix('invalid', error.message)]);
    return;
  }
  if (config.requireAuth && !relay.isAuthorized(ws)) {
    send(ws, ['CLOSED', subId, 'auth-required: send AUTH (NIP-42) before subscribing']);
    return;
  }
  if (filters.some(tooManyTagKeys)) {
    send(ws, ['CLOSED', subId, 'unsupported: a filter may use at most 2 distinct tag keys on this relay']);
    return;
  }
  // The library would silently evict the oldest subscription (an LRU of maxSubscriptionsPerClient);
  // a client waiting on that one would never learn it ended, so refuse the new one instead.
  // `clientContexts` is internal to @nostr-relay/core 0.0.40, which the lockfile pins.
  const subscriptions = relay.clientContexts?.get(ws)?.subscriptions;
  if (subscriptions && !subscriptions.has(subId) && subscriptions.size >= config.maxSubscriptions) {
    send(ws, ['CLOSED', subId, `error: too many subscriptions on this connection (max ${config.maxSubscriptions}); CLOSE one first`]);
    return;
  }
  for (const filter of filters) {
    if (filter.limit !== undefined && filter.limit > config.maxLimit) filter.limit = config.maxLimit;
  }
  try {
    // The library answers EOSE or CLOSED itself.
    await relay.handleMessage(ws, ['REQ', subId, ...filters]);
  } catch (error) {
    send(ws, ['CLOSED', subId, withPrefix('error', error.message)]);
  }
}

async function onOther(ws, frame) {
  let message;
  try {
    message = await validator.validateIncomingMessage(frame);
  } catch (error) {
    if (frame[0] === 'AUTH') {
      const id = frame[1] && isString(frame[1].id) ? frame[1].id : '';
      send(ws, ['OK', id, false, withPrefix('invalid', error.message)]);
    } else {
      send(ws, ['NOTICE', withPrefix('invalid', error.message)]);
    }
    return;
  }
  try {
    await relay.handleMessage(ws, message);
  } catch (error) {
    send(ws, ['NOTICE', withPrefix('error', error.message)]);
  }
}

async function onMessage(ws, data) {
  let frame;
  try {
    frame = JSON.parse(data.toString('utf8'));
  } catch {
    send(ws, ['NOTICE', 'invalid: message is not JSON']);
    return;
  }
  if (!Array.isArray(frame) || frame.length === 0 || !isString(frame[0])) {
    send(ws, ['NOTICE', 'invalid: message must be a JSON array starting with a type string']);
    return;
  }
  switch (frame[0]) {
    case 'EVENT':
      return onEvent(ws, frame);
    case 'REQ':
      return onReq(ws, frame);
    case 'CLOSE':
    case 'AUTH':
      return onOther(ws, frame);
    default:
      send(ws, ['NOTICE', `invalid: unknown message type "${frame[0]}"`]);
  }
}

wss.on('connection', (ws, req) => {
  relay.handleConnection(ws, req.socket.remoteAddress);
  // Frames from one connection are handled in arrival order, so an EVENT followed by a REQ
  // on the same socket sees the event stored.
  let queue = Promise.resolve();
  ws.on('message', data => {
    queue = queue
      .then(() => onMessage(ws, data))
      .catch(error => logger.error('message handling failed', error));
  });
  ws.on('close', () => relay.handleDisconnect(ws));
  ws.on('error', error => logger.warn('socket error', error));
});

let stopping = false;
async function shutdown(reason) {
  if (stopping) return;
  stopping = true;
  logger.info(`stopping (${reason})`);
  for (const client of wss.clients) client.terminate();
  wss.close();
  server.close();
  try {
    await relay.destroy();
    await repository.destroy();
  } catch (error) {
    logger.warn('error while closing the store', error);
  }
  process.exit(0);
}

process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
if (config.exitOnStdinClose) {
  process.stdin.on('end', () => shutdown('stdin closed'));
  process.stdin.on('close', () => shutdown('stdin closed'));
  process.stdin.on('error', () => shutdown('stdin error'));
  process.stdin.resume();
}

// The WebSocketServer re-emits its HTTP server's errors, so both need the handler.
function onListenError(error) {
  process.stderr.write(`relay: cannot listen on ${config.host}:${config.port}: ${error.message}\n`);
  process.exit(1);
}
server.on('error', onListenError);
wss.on('error', onListenError);

server.listen(config.port, config.host, () => {
  const { port } = server.address();
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  process.stdout.write(`RELAY READY ws://${host}:${port}\n`);
});
