// Lua scripts of the Redis presence registry: each runs atomically in Redis.

/** A published state as stored: JSON, or a bare state name (written by older versions). */
const DECODE = `
local function decode(raw)
  if not raw then return nil end
  local ok, value = pcall(cjson.decode, raw)
  if ok and type(value) == 'table' then return value end
  return { state = raw, rev = 0, at = 0 }
end`;

/** Redis's clock in ms: 13 digits, exact in Lua's doubles (microseconds would not be). */
const NOW_MS = `
local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end`;

/**
 * KEYS: this instance's users hash, versions, lastSeen. ARGV: userId, the user's connections on
 * this instance as JSON ('' when none is left), last-seen ISO time ('' unless one was removed).
 * One field per user (not per connection), so reading one user's connections is one HMGET per
 * instance rather than a scan of everyone's.
 */
export const PUT_USER = `
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
if ARGV[3] ~= '' then
  local current = redis.call('HGET', KEYS[3], ARGV[1])
  if (not current) or current < ARGV[3] then redis.call('HSET', KEYS[3], ARGV[1], ARGV[3]) end
end
redis.call('HINCRBY', KEYS[2], ARGV[1], 1)
return 0`;

/**
 * KEYS: this instance's users hash, versions, lastSeen. ARGV: last-seen ISO time, then userId and
 * connections JSON for every user the instance holds. Replaces the hash with exactly those users:
 * one it no longer holds (its removal was lost, say in a Redis blip) is recorded as last seen now.
 * Every user touched gets a new version, so no claim read before this passes.
 */
export const REPLACE_USERS = `
local held = {}
for i = 2, #ARGV, 2 do held[ARGV[i]] = ARGV[i + 1] end
local stored = redis.call('HKEYS', KEYS[1])
for i = 1, #stored do
  if not held[stored[i]] then
    local current = redis.call('HGET', KEYS[3], stored[i])
    if (not current) or current < ARGV[1] then redis.call('HSET', KEYS[3], stored[i], ARGV[1]) end
    redis.call('HINCRBY', KEYS[2], stored[i], 1)
  end
end
redis.call('DEL', KEYS[1])
for userId, connections in pairs(held) do
  redis.call('HSET', KEYS[1], userId, connections)
  redis.call('HINCRBY', KEYS[2], userId, 1)
end
return #stored`;

/**
 * KEYS: a crashed instance's users hash, lastSeen, versions, instances set, its lease, its
 * connections hash as versions before the per-user layout wrote it (dropped too). ARGV:
 * last-seen ISO time, the instance id. Unless the lease is back, records every one of its users
 * as last seen then, bumps their versions and forgets the instance, in one step, so two reapers
 * cannot both half-do it and a renewal cannot slip in between the check and the reaping.
 */
export const REAP_INSTANCE = `
if redis.call('EXISTS', KEYS[5]) == 1 then return -1 end
local users = redis.call('HKEYS', KEYS[1])
for i = 1, #users do
  local current = redis.call('HGET', KEYS[2], users[i])
  if (not current) or current < ARGV[1] then redis.call('HSET', KEYS[2], users[i], ARGV[1]) end
  redis.call('HINCRBY', KEYS[3], users[i], 1)
end
redis.call('DEL', KEYS[1], KEYS[6])
redis.call('SREM', KEYS[4], ARGV[2])
return #users`;

/**
 * KEYS: versions, published, rev. ARGV: userId, state, lastSeenAt ('' for none), version read.
 * Answers -1 when the user's version moved (the caller read before a change), 0 when the state
 * is already published, else the new revision: above every earlier one, and never below Redis's
 * clock, so revisions keep growing even after Redis lost the counter.
 */
export const CLAIM_CHANGE = `${DECODE}${NOW_MS}
local version = redis.call('HGET', KEYS[1], ARGV[1]) or '0'
if version ~= ARGV[4] then return {-1, 0} end
local current = decode(redis.call('HGET', KEYS[2], ARGV[1]))
if (current and current.state or 'offline') == ARGV[2] then return {0, 0} end
local now = nowMs()
local rev = math.max((tonumber(redis.call('GET', KEYS[3])) or 0) + 1, now)
redis.call('SET', KEYS[3], string.format('%.0f', rev))
local lastSeenAt = cjson.null
if ARGV[3] ~= '' then lastSeenAt = ARGV[3] end
redis.call('HSET', KEYS[2], ARGV[1], cjson.encode({ state = ARGV[2], rev = rev, lastSeenAt = lastSeenAt, at = now }))
return { string.format('%.0f', rev), string.format('%.0f', now) }`;

/**
 * KEYS: published, rev. ARGV: user ids (none: everyone). Answers [rev, now, userId, JSON, …].
 * Without a counter (Redis lost it, and nothing was claimed since) the states are current as of
 * just before now: every later claim gets at least now.
 */
export const READ_PUBLISHED = `${NOW_MS}
local now = nowMs()
local out = { redis.call('GET', KEYS[2]) or string.format('%.0f', now - 1), string.format('%.0f', now) }
if #ARGV == 0 then
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all do out[#out + 1] = all[i] end
else
  local values = redis.call('HMGET', KEYS[1], unpack(ARGV))
  for i = 1, #ARGV do
    if values[i] then out[#out + 1] = ARGV[i]; out[#out + 1] = values[i] end
  end
end
return out`;

/**
 * KEYS: published, versions, instances. ARGV: ms, the registry's key prefix. Drops offline states
 * claimed before that time, and the versions of those users unless some instance holds a
 * connection of theirs: the sweep reads every version, so they must not pile up with everyone
 * who ever connected. (A claim still in flight for such a user finds its version gone, is
 * refused as stale and recomputed.)
 */
export const PRUNE_OFFLINE = `${DECODE}
local all = redis.call('HGETALL', KEYS[1])
local cutoff = tonumber(ARGV[1])
local instances = redis.call('SMEMBERS', KEYS[3])
for i = 1, #all, 2 do
  local value = decode(all[i + 1])
  if value.state == 'offline' and (tonumber(value.at) or 0) < cutoff then
    redis.call('HDEL', KEYS[1], all[i])
    local isHeld = false
    for j = 1, #instances do
      if redis.call('HEXISTS', ARGV[2] .. ':users:' .. instances[j], all[i]) == 1 then isHeld = true end
    end
    if not isHeld then redis.call('HDEL', KEYS[2], all[i]) end
  end
end
return 0`;
