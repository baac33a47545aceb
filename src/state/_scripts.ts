/**
 * The Redis scripts of the shared state. Each decision is one script, which
 * Redis runs atomically: two replicas reserving at once see each other's
 * reservation. Numbers come back as strings (a Lua number would be truncated
 * to an integer reply).
 *
 * @module
 */

/**
 * Usage figures and, unless ARGV[8] is "check", the reservation.
 * KEYS: orders (zset of committed writes, score = epoch ms), day (hash currency → value), pending (hash id → JSON).
 * ARGV: id, at, value or "", currency or "", rate cap or "", daily cap or "", reservation TTL ms, "reserve"|"check".
 * Returns [verdict ("ok" | "rate" | "daily"), orders in the last minute and in flight, daily used].
 */
export const RESERVE = `
local at = tonumber(ARGV[2])
local ttl = tonumber(ARGV[7])
local currency = ARGV[4]
local orders = redis.call('ZCOUNT', KEYS[1], '(' .. string.format('%d', at - 60000), '+inf')
local inflight, pendingValue = 0, 0
local all = redis.call('HGETALL', KEYS[3])
for i = 1, #all, 2 do
  local p = cjson.decode(all[i + 1])
  if p.at > at - ttl then
    inflight = inflight + 1
    if currency ~= '' and p.cur == currency and p.val then pendingValue = pendingValue + p.val end
  elseif ARGV[8] == 'reserve' then
    redis.call('HDEL', KEYS[3], all[i])
  end
end
local used = pendingValue
if currency ~= '' then used = used + tonumber(redis.call('HGET', KEYS[2], currency) or '0') end
local count = orders + inflight
local verdict = 'ok'
if ARGV[5] ~= '' and count + 1 > tonumber(ARGV[5]) then
  verdict = 'rate'
elseif ARGV[6] ~= '' and ARGV[3] ~= '' and used + math.max(0, tonumber(ARGV[3])) > tonumber(ARGV[6]) then
  verdict = 'daily'
end
if verdict == 'ok' and ARGV[8] == 'reserve' then
  local entry = { at = at }
  if ARGV[3] ~= '' then entry.val = math.max(0, tonumber(ARGV[3])) end
  if currency ~= '' then entry.cur = currency end
  redis.call('HSET', KEYS[3], ARGV[1], cjson.encode(entry))
  redis.call('PEXPIRE', KEYS[3], ttl * 2)
end
return { verdict, tostring(count), string.format('%.17g', used) }
`;

/**
 * A write reached OpenD: it counts, once per id. KEYS: orders, day, pending, done marker of this id.
 * ARGV: id, at, value or "", currency or "", how long the day's figures and the marker are kept (ms).
 */
export const COMMIT = `
redis.call('HDEL', KEYS[3], ARGV[1])
if redis.call('SET', KEYS[4], '1', 'NX', 'PX', ARGV[5]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', tonumber(ARGV[2]) - 60000))
  redis.call('PEXPIRE', KEYS[1], 120000)
  if ARGV[3] ~= '' and ARGV[4] ~= '' and tonumber(ARGV[3]) > 0 then
    redis.call('HINCRBYFLOAT', KEYS[2], ARGV[4], ARGV[3])
    redis.call('PEXPIRE', KEYS[2], ARGV[5])
  end
end
return 1
`;

/** Claims an idempotency key (KEYS[1]) with ARGV[1] for ARGV[2] ms; returns "" when claimed, else the record. */
export const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return '' end
return redis.call('GET', KEYS[1]) or ''
`;

/**
 * Takes OpenD's write turn for a write whose reply has not come yet (KEYS[2] holds its owner for at most ARGV[3]
 * ms), ARGV[2] ms after the last write's reply (KEYS[1], in Redis's clock, so that replicas' clocks need not
 * agree). Returns 0 when the turn is taken, -1 while another write is in flight, else the ms to wait.
 */
export const PACE_ACQUIRE = `
if redis.call('EXISTS', KEYS[2]) == 1 then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local wait = tonumber(redis.call('GET', KEYS[1]) or '0') + tonumber(ARGV[2]) - now
if wait > 0 then return wait end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[3])
return 0
`;

/** The reply of the owner's (ARGV[1]) write arrived: the turn is free, and the next one counts from now. */
export const PACE_RELEASE = `
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
local t = redis.call('TIME')
redis.call('SET', KEYS[1], string.format('%d', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)), 'PX', 60000)
return 1
`;
