namespace AkkaRedis.Actors.Lua;

/// <summary>
/// The Lua half of Redis 7.0's state setup (scriptingInit, luaRegisterRedisAPI, luaSetTableProtectionRecursively),
/// run once per VM with the real globals as its environment. It receives the C# callbacks (table C) and the error
/// marker E (a light userdata), and returns the sandboxed globals scripts see, the real globals table and the error
/// handler. Everything that must raise a Lua error does it here, in Lua: a C# callback returns (E, error) and the
/// wrapper around it calls error(), so no longjmp ever crosses a managed frame.
/// </summary>
/// <remarks>
/// Redis 7.0.15 makes _G and every table reachable from it read-only with a patched Lua (lua_enablereadonlytable);
/// Debian's liblua5.1 has no such flag, so each protected table is replaced by an empty proxy whose metatable reads
/// through to the real table (a table __index, resolved inside the VM without a function call) and refuses writes.
/// rawset/setmetatable/rawget/next/pairs are wrapped to see through or refuse proxies. The chunk is named "=__redis"
/// so that the error handler can skip these wrappers' frames as Redis's handler skips its C functions.
/// </remarks>
internal static class LuaPrelude
{
    public const string ChunkName = "=__redis";

    /// <summary>Redis's kill error (luaMaskCountHook).</summary>
    public const string KilledMessage = "ERR Script killed by user with SCRIPT KILL...";

    public const string Source = """
local C, E, KIND = ...
local G = _G
local type, tostring, error, select, tonumber = type, tostring, error, select, tonumber
local r_rawset, r_rawget, r_next, r_pairs, r_pcall = rawset, rawget, next, pairs, pcall
local r_setmetatable, r_getmetatable = setmetatable, getmetatable
local s_sub, s_find, s_gsub = string.sub, string.find, string.gsub
local getinfo = debug.getinfo
local INTERNAL = '=__redis'

-- Globals Redis 7.0.15 does not offer (EVAL "return type(x)" 0 on the real server).
G.dofile = nil; G.loadfile = nil; G.print = nil; G.getfenv = nil; G.setfenv = nil; G.newproxy = nil
G.module = nil; G.require = nil; G.package = nil; G.debug = nil

local function ro_error() error('Attempt to modify a readonly table', 2) end

local protected = r_setmetatable({}, {__mode = 'k'}) -- every table a script may not modify
local real_of = r_setmetatable({}, {__mode = 'k'})   -- proxy -> the table it stands for
local proxy_of = r_setmetatable({}, {__mode = 'k'})  -- real table -> its proxy

-- A read-only view of a metatable: what getmetatable returns for protected tables. Real tables read through it
-- come back as their proxies, so no script ever holds a real (writable) protected table.
local function view(m)
  local v = {}
  protected[v] = true
  return r_setmetatable(v, {
    __index = function(_, k) local x = m[k]; return proxy_of[x] or x end,
    __newindex = ro_error, __metatable = false })
end

local meta_of = r_setmetatable({}, {__mode = 'k'})
local function env_meta_of(p) return meta_of[p] end
local function readonly(t)
  local m = {__index = t, __newindex = ro_error}
  local p = r_setmetatable({}, m)
  m.__metatable = view(m)
  protected[p] = true; real_of[p] = t; proxy_of[t] = p; meta_of[p] = m
  return p
end

-- luaPushErrorBuff: "-CODE msg" or "msg" (code ERR), newlines trimmed at both ends.
local function error_table(buf)
  local code, msg
  if s_sub(buf, 1, 1) == '-' then
    local sp = s_find(buf, ' ', 1, true)
    if sp then code, msg = s_sub(buf, 2, sp - 1), s_sub(buf, sp + 1) else code, msg = 'ERR', s_sub(buf, 2) end
  else
    code, msg = 'ERR', buf
  end
  msg = s_gsub(s_gsub(msg, '^[\r\n]+', ''), '[\r\n]+$', '')
  return {err = code .. ' ' .. msg}
end

-- C# callbacks answer (E, error) instead of raising: tables (Redis's luaPushError) or strings (luaL_error, which
-- gets the caller's position: level 2 is the caller of this wrapper).
local function checked(f)
  return function(...)
    local r, e = f(...)
    if r == E then error(e, 2) end
    return r
  end
end
-- Functions that return nothing in Redis (select('#', redis.log(...)) is 0 there too).
local function checked0(f)
  return function(...)
    local r, e = f(...)
    if r == E then error(e, 2) end
  end
end
local function pack_n(...) return select('#', ...), {...} end
local unpack = unpack
local function checked_multi(f)
  return function(...)
    local n, t = pack_n(f(...))
    if t[1] == E then error(t[2], 2) end
    return unpack(t, 1, n)
  end
end

local function bad_arg(n, fname, expected, v)
  error("bad argument #" .. n .. " to '" .. fname .. "' (" .. expected .. " expected, got " .. type(v) .. ")", 3)
end

-- redis.* (luaRegisterRedisAPI, scriptingInit)
local redis = {}
local ccall = C.call
redis.call = function(...)
  local r, e = ccall(...)
  if r == E then error(e) end
  return r
end
redis.pcall = C.pcall
redis.sha1hex = checked(C.sha1hex)
redis.log = checked0(C.log)
redis.LOG_DEBUG = 0; redis.LOG_VERBOSE = 1; redis.LOG_NOTICE = 2; redis.LOG_WARNING = 3
redis.setresp = checked0(C.setresp)
redis.set_repl = checked0(C.set_repl)
redis.REPL_NONE = 0; redis.REPL_AOF = 1; redis.REPL_SLAVE = 2; redis.REPL_REPLICA = 2; redis.REPL_ALL = 3
redis.acl_check_cmd = checked(C.acl_check_cmd)
redis.REDIS_VERSION = '7.0.15'
redis.REDIS_VERSION_NUM = 458767
redis.error_reply = function(...)
  local e = ...
  if select('#', ...) ~= 1 or type(e) ~= 'string' then return {err = 'ERR wrong number or type of arguments'} end
  if s_sub(e, 1, 1) ~= '-' then e = '-' .. e end
  return error_table(e)
end
redis.status_reply = function(...)
  local s = ...
  if select('#', ...) ~= 1 or type(s) ~= 'string' then return {err = 'ERR wrong number or type of arguments'} end
  return {ok = s}
end
if KIND == 'eval' then
  -- Without the debugger (ldb) breakpoint answers false and debug logs nothing; replicate_commands is a no-op
  -- that answers true since 7.0.
  redis.breakpoint = function() return false end
  redis.debug = function() end
  redis.replicate_commands = function() return true end
end
G.redis = redis

-- math.random / math.randomseed over redisLrand48 (the same sequence on every platform).
math.random = checked(C.random)
math.randomseed = checked0(C.randomseed)

-- cjson, bit (native modules), struct, cmsgpack (C# callbacks) are opened before this chunk runs.
if C.struct_pack then
  G.struct = { pack = checked(C.struct_pack), unpack = checked_multi(C.struct_unpack), size = checked(C.struct_size) }
end
if C.msgpack_pack then
  G.cmsgpack = { pack = checked(C.msgpack_pack), unpack = checked_multi(C.msgpack_unpack),
                 unpack_one = checked_multi(C.msgpack_unpack_one), unpack_limit = checked_multi(C.msgpack_unpack_limit) }
end

-- Redis 7.0's pcall: an error table with an 'err' field comes back as its message (luaRedisPcall).
local function pcall_result(ok, ...)
  if ok then return ok, ... end
  local e = ...
  if type(e) == 'table' then
    local m = r_rawget(e, 'err')
    if type(m) == 'string' or type(m) == 'number' then return false, m end
  end
  return false, e
end
G.pcall = function(...) return pcall_result(r_pcall(...)) end

-- The error handler (__redis__err__handler): errors become {err=, source=, line=} of the script's frame. Our own
-- wrappers stand where Redis has C functions, so their frames are skipped too.
local state = C.state
local function err_handler(err)
  local st = state()
  if st == 2 then return E end -- aborted by the bridge: nothing is replied
  local lvl = 2
  local i = getinfo(lvl, 'Sl')
  if i and i.what == 'C' then lvl = lvl + 1; i = getinfo(lvl, 'Sl') end
  while i and (i.source == INTERNAL or i.what == 'C') do lvl = lvl + 1; i = getinfo(lvl, 'Sl') end
  if st == 1 then err = {err = 'ERR Script killed by user with SCRIPT KILL...'}
  elseif st == 3 then err = {err = 'ERR FUNCTION LOAD timeout'}
  elseif type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end
  if i then r_rawset(err, 'source', i.source); r_rawset(err, 'line', i.currentline) end
  return err
end
if KIND == 'eval' then G.__redis__err__handler = err_handler end -- functions keep it in the registry

-- The sandbox: read-only library tables and globals.
for _, name in r_pairs({'string', 'math', 'table', 'coroutine', 'cjson', 'bit', 'struct', 'cmsgpack', 'redis'}) do
  if G[name] ~= nil then G[name] = readonly(G[name]) end
end
local smeta = r_getmetatable('')
smeta.__index = G.string
smeta.__metatable = view(smeta)
protected[smeta] = true

G.rawset = function(t, k, v)
  if type(t) ~= 'table' then bad_arg(1, 'rawset', 'table', t) end
  if protected[t] then error('Attempt to modify a readonly table', 0) end
  return r_rawset(t, k, v)
end
G.rawget = function(t, k)
  if type(t) ~= 'table' then bad_arg(1, 'rawget', 'table', t) end
  return r_rawget(real_of[t] or t, k)
end
G.setmetatable = function(t, m)
  if type(t) ~= 'table' then bad_arg(1, 'setmetatable', 'table', t) end
  if protected[t] then error('Attempt to modify a readonly table', 0) end
  if m ~= nil and type(m) ~= 'table' then error("bad argument #2 to 'setmetatable' (nil or table expected)", 2) end
  return r_setmetatable(t, m)
end
G.next = function(t, k)
  if type(t) ~= 'table' then bad_arg(1, 'next', 'table', t) end
  return r_next(real_of[t] or t, k)
end
G.pairs = function(t)
  if type(t) ~= 'table' then bad_arg(1, 'pairs', 'table', t) end
  local r = real_of[t]
  if r then return function(_, k) return r_next(r, k) end, t, nil end
  return r_next, t, nil
end

local env = readonly(G)
G._G = env
r_setmetatable(G, {__index = function(_, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
end})

-- Function libraries load in their own environment (luaEngineCreate swaps the globals' __index to the library
-- API): only redis.register_function, redis.log and the version fields exist while a library loads.
local function missing_meta(t)
  return r_setmetatable(t, {__index = function(_, k)
    error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 2)
  end})
end
local load_redis = missing_meta({
  register_function = checked0(C.register_function),
  log = redis.log, LOG_DEBUG = 0, LOG_VERBOSE = 1, LOG_NOTICE = 2, LOG_WARNING = 3,
  REDIS_VERSION = redis.REDIS_VERSION, REDIS_VERSION_NUM = redis.REDIS_VERSION_NUM,
})
local load_api = missing_meta({redis = readonly(load_redis)})
local env_meta = env_meta_of(env)
local function set_loading(on)
  if on then env_meta.__index = load_api else env_meta.__index = G end
end

return env, G, err_handler, set_loading, readonly, protected
""";
}
