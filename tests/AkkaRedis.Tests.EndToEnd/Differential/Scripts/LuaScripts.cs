namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// The Lua layer (script_lua.c, eval.c, lua_cjson.c, lua_cmsgpack.c, lua_struct.c, lua_bit.c of 7.0.15): Lua↔RESP
/// conversions both ways (RESP2, and RESP3 after redis.setresp(3): each script runs under both client protocols),
/// errors raised and caught (pcall, redis.pcall, error tables, compile and runtime errors with their lines), the
/// sandbox (globals, read-only tables), the redis.* helpers and the cjson/cmsgpack/struct/bit libraries.
/// </summary>
public static class LuaScripts
{
    public const string Family = "lua";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "lua-to-resp", """
            EVAL "return 3.99" 0
            EVAL "return -3.7" 0
            EVAL "return 1e30" 0
            EVAL "return true" 0
            EVAL "return false" 0
            EVAL "return nil" 0
            EVAL "return ''" 0
            EVAL "return {1, 2, nil, 3}" 0
            EVAL "return {true, false, 'a', {1, {2}}, 2.5}" 0
            EVAL "return {}" 0
            EVAL "return {ok='fine'}" 0
            EVAL "return {ok='two\nlines'}" 0
            EVAL "return {err='x'}" 0
            EVAL "return {err='MY code'}" 0
            EVAL "return {double=1.5}" 0
            EVAL "return {double=0.1}" 0
            EVAL "return {double=3}" 0
            EVAL "return {double=1/0}" 0
            EVAL "return {double='x'}" 0
            EVAL "return {big_number='123456789012345678901234567890'}" 0
            EVAL "return {verbatim_string={format='txt', string='hello'}}" 0
            EVAL "return {map={a=1}}" 0
            EVAL "return {set={a=true}}" 0
            EVAL "return {1, {err='inner'}, {ok='ok'}}" 0
            EVAL "return function() end" 0
            EVAL "redis.setresp(3) return true" 0
            EVAL "redis.setresp(3) return false" 0
            EVAL "redis.setresp(3) return {true, false, nil}" 0
            EVAL "redis.setresp(2) return false" 0
            EVAL "return tonumber('0x10')" 0
            EVAL "return 9007199254740993" 0
            EVAL "return -0.0" 0
            """);

        yield return new(Family, "resp2-to-lua", """
            SET s 10
            RPUSH l a b c
            HSET h f v
            ZADD z 1.5 m
            EVAL "local v = redis.call('get', KEYS[1]) return {type(v), v}" 1 s
            EVAL "local v = redis.call('get', 'missing') return {type(v), tostring(v)}" 0
            EVAL "local v = redis.call('incr', KEYS[1]) return {type(v), v}" 1 s
            EVAL "local v = redis.call('lrange', KEYS[1], 0, -1) return {type(v), #v, v[1], v[3]}" 1 l
            EVAL "local v = redis.call('set', 'x', 'y') return {type(v), v.ok}" 0
            EVAL "local v = redis.call('ping') return v.ok" 0
            EVAL "local v = redis.pcall('incr', 'l') return {type(v), v.err}" 0
            EVAL "local v = redis.call('hgetall', KEYS[1]) return v" 1 h
            EVAL "return redis.call('zscore', KEYS[1], 'm')" 1 z
            EVAL "local v = redis.call('zscore', KEYS[1], 'm') return type(v)" 1 z
            EVAL "return redis.call('lpop', 'missing', 2)" 0
            EVAL "local v = redis.call('lpop', 'missing', 2) return tostring(v)" 0
            EVAL "return redis.call('echo', 0.1)" 0
            EVAL "return redis.call('echo', 12345678901234567890)" 0
            EVAL "return redis.call('echo', 3)" 0
            EVAL "return redis.call('echo', -0.5)" 0
            EVAL "return redis.call('zrange', KEYS[1], 0, -1, 'withscores')" 1 z
            """);

        yield return new(Family, "resp3-to-lua", """
            HSET h f v
            SADD st 3
            ZADD z 1.5 m
            SET s str
            EVAL "redis.setresp(3) return redis.call('hgetall', KEYS[1])" 1 h
            EVAL "redis.setresp(3) local v = redis.call('hgetall', KEYS[1]) return {type(v.map), v.map.f}" 1 h
            EVAL "redis.setresp(3) return redis.call('smembers', KEYS[1])" 1 st
            EVAL "redis.setresp(3) local v = redis.call('smembers', KEYS[1]) return tostring(v.set['3'])" 1 st
            EVAL "redis.setresp(3) return redis.call('zscore', KEYS[1], 'm')" 1 z
            EVAL "redis.setresp(3) local v = redis.call('zscore', KEYS[1], 'm') return tostring(v.double)" 1 z
            EVAL "redis.setresp(3) local v = redis.call('get', 'missing') return type(v)" 0
            EVAL "redis.setresp(3) return redis.call('get', 'missing')" 0
            EVAL "redis.setresp(3) return redis.call('zrange', KEYS[1], 0, -1, 'withscores')" 1 z
            EVAL "redis.setresp(3) return redis.call('set', 'x', 'y')" 0
            EVAL "redis.setresp(3) return redis.pcall('incr', KEYS[1])" 1 s
            EVAL "redis.setresp(3) return redis.call('hgetall', 'missing')" 0
            EVAL "redis.setresp(2) return redis.call('hgetall', KEYS[1])" 1 h
            """);

        yield return new(Family, "errors", """
            SET s str
            EVAL "return redis.call('nosuch')" 0
            EVAL "return redis.pcall('nosuch')" 0
            EVAL "local x = 1\nreturn redis.call('nosuch')" 0
            EVAL "local x = 1\n\nreturn redis.call('incr', KEYS[1])" 1 s
            EVAL "return redis.call()" 0
            EVAL "return redis.call({})" 0
            EVAL "return redis.pcall('get', {})" 0
            EVAL "return redis.call('get', 'a', 'b')" 0
            EVAL "local ok, e = pcall(redis.call, 'incr', KEYS[1]) return {tostring(ok), e}" 1 s
            EVAL "local ok, e = pcall(error, {x=1}) return type(e)" 0
            EVAL "local ok, e = pcall(error, 'm') return e" 0
            EVAL "local ok, e = pcall(function() local t = nil; return t.x end) return e" 0
            EVAL "error('x')" 0
            EVAL "error({err='MY x'})" 0
            EVAL "error(nil)" 0
            EVAL "error(12)" 0
            EVAL "error('no position', 0)" 0
            EVAL "local function f() error('deep') end\nf()" 0
            EVAL "local t = nil\nlocal x = 1\nreturn t.field" 0
            EVAL "return 1 + {}" 0
            EVAL "return string.format('%d', 'x')" 0
            EVAL "return redis.error_reply('x')" 0
            EVAL "return redis.error_reply('-MY x')" 0
            EVAL "return redis.error_reply('MY x\r\n')" 0
            EVAL "return redis.error_reply(1)" 0
            EVAL "return redis.status_reply(1)" 0
            EVAL "return redis.status_reply('a', 'b')" 0
            EVAL "return redis.status_reply('GOOD')" 0
            EVAL "syntax error here" 0
            EVAL "return 1 end" 0
            EVAL "return \"unfinished" 0
            EVAL "return select('#', ...)" 0
            EVAL "local t = {} for i = 1, 10 do t[i] = redis.pcall('incr', KEYS[1]) end return #t" 1 s
            """);

        yield return new(Family, "sandbox", """
            EVAL "return type(x)" 0
            EVAL "x = 1" 0
            EVAL "redis.call = 1" 0
            EVAL "string.x = 1" 0
            EVAL "_G.x = 1" 0
            EVAL "setmetatable(_G, nil)" 0
            EVAL "return rawset(_G, 'x', 1)" 0
            EVAL "return rawget(_G, 'x')" 0
            EVAL "getmetatable('').__index.x = 1" 0
            EVAL "return getmetatable('').__index == string" 0
            EVAL "math.random = nil" 0
            EVAL "cjson.encode = nil" 0
            EVAL "loadstring('redis = nil')()" 0
            EVAL "return loadstring('return 1 + 1')()" 0
            EVAL "return type(loadfile)" 0
            EVAL "return type(dofile)" 0
            EVAL "return type(print)" 0
            EVAL "return type(debug)" 0
            EVAL "return type(os)" 0
            EVAL "return type(io)" 0
            EVAL "return type(require)" 0
            EVAL "return type(setfenv)" 0
            EVAL "return type(newproxy)" 0
            EVAL "return {type(cjson), type(bit), type(struct), type(cmsgpack), type(coroutine), type(unpack), type(gcinfo)}" 0
            EVAL "local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return t" 0
            EVAL "local t = {} for k in pairs(redis) do t[#t + 1] = k end table.sort(t) return t" 0
            EVAL "local t = {} for k in pairs(string) do t[#t + 1] = k end table.sort(t) return t" 0
            EVAL "local t = {} for k in pairs(math) do t[#t + 1] = k end table.sort(t) return t" 0
            EVAL "KEYS[1] = 'changed' return KEYS[1]" 1 a
            EVAL "local t = setmetatable({}, {__index = function(t, k) return k .. '!' end}) return t.x" 0
            EVAL "local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y}" 0
            EVAL "return _VERSION" 0
            """);

        yield return new(Family, "helpers", """
            EVAL "return redis.sha1hex('')" 0
            EVAL "return redis.sha1hex('abc')" 0
            EVAL "return redis.sha1hex(12)" 0
            EVAL "return redis.sha1hex()" 0
            EVAL "return redis.REDIS_VERSION" 0
            EVAL "return redis.REDIS_VERSION_NUM" 0
            EVAL "return {redis.LOG_DEBUG, redis.LOG_VERBOSE, redis.LOG_NOTICE, redis.LOG_WARNING}" 0
            EVAL "return {redis.REPL_NONE, redis.REPL_AOF, redis.REPL_SLAVE, redis.REPL_REPLICA, redis.REPL_ALL}" 0
            EVAL "return redis.replicate_commands()" 0
            EVAL "return redis.breakpoint()" 0
            EVAL "return redis.debug('x')" 0
            EVAL "redis.log(redis.LOG_DEBUG, 'from a script', 1)" 0
            EVAL "redis.log(5, 'hi')" 0
            EVAL "redis.log('x', 'hi')" 0
            EVAL "redis.log(1)" 0
            EVAL "return redis.set_repl(9)" 0
            EVAL "return redis.set_repl()" 0
            EVAL "return redis.set_repl(redis.REPL_ALL)" 0
            EVAL "return redis.setresp(4)" 0
            EVAL "return redis.setresp()" 0
            EVAL "return redis.acl_check_cmd('get', 'x')" 0
            EVAL "math.randomseed(0) local a = math.random() return {tostring(a), tostring(math.random()), math.random(100), math.random(5, 10)}" 0
            EVAL "math.randomseed(7) return {math.random(1000), math.random(1000)}" 0
            EVAL "return math.random(0)" 0
            EVAL "return math.random(3, 1)" 0
            EVAL "return math.random(1, 2, 3)" 0
            EVAL "return math.random('x')" 0
            """);

        yield return new(Family, "libraries", """
            EVAL "return cjson.encode({1, 2, 3, {a = 'b'}})" 0
            EVAL "return cjson.encode({a = {b = {c = 1.5}}})" 0
            EVAL "return cjson.encode(cjson.decode('{\"x\":[1,2,{\"y\":null}],\"z\":\"\\u00e9\"}'))" 0
            EVAL "return cjson.decode('[1,2,3]')[3]" 0
            EVAL "return tostring(cjson.decode('{\"a\":null}').a == cjson.null)" 0
            EVAL "return cjson.encode({1/3, 1e300, -0.5, 100})" 0
            EVAL "return cjson.decode('{bad')" 0
            EVAL "return cjson.encode(function() end)" 0
            EVAL "local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end return hex(cmsgpack.pack(1, -1, 127, 128, 255, 256, 65535, 65536, 4294967295, 4294967296, -32, -33, -128, -129, -32768, -32769, -2147483648, -2147483649, 1.5, 0.1, 1e300, -0.0, 1/0))" 0
            EVAL "local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end return hex(cmsgpack.pack('', string.rep('a', 31), string.rep('b', 32), true, false, nil, {}, {1,2,3}, {a=1}, {[1]=1,[3]=3}, {1,{2,{3}}}))" 0
            EVAL "local a, b, c, d = cmsgpack.unpack(cmsgpack.pack(1, 'two', {3, 4}, {x = 'y'})) return {a, b, c[2], d.x}" 0
            EVAL "return {cmsgpack.unpack_one(cmsgpack.pack(1, 2, 3), 0)}" 0
            EVAL "return {cmsgpack.unpack_limit(cmsgpack.pack(1, 2, 3), 2, 1)}" 0
            EVAL "return cmsgpack.pack()" 0
            EVAL "return cmsgpack.unpack('\\193')" 0
            EVAL "return cmsgpack.unpack('\\205\\1')" 0
            EVAL "local function hex(s) return (s:gsub('.', function(c) return string.format('%02x', c:byte()) end)) end return hex(struct.pack('>i2<I4!4bdfc3s', -2, 70000, 1, 0.5, 1.25, 'abcdef', 'zz'))" 0
            EVAL "return {struct.unpack('>i2<I4!4bdfc3s', struct.pack('>i2<I4!4bdfc3s', -2, 70000, 1, 0.5, 1.25, 'abcdef', 'zz'))}" 0
            EVAL "return {struct.size('i'), struct.size('>!4bi'), struct.size('!8bd'), struct.size('c5'), struct.size('lhT')}" 0
            EVAL "return struct.pack('c10', 'abc')" 0
            EVAL "return struct.size('s')" 0
            EVAL "return struct.pack('q')" 0
            EVAL "return {struct.unpack('i', 'abcd', 0)}" 0
            EVAL "return {bit.band(0xff, 0x0f), bit.bor(1, 2), bit.bxor(3, 1), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-16, 2), bit.bnot(0), bit.tohex(255), bit.tobit(2^32 + 1), bit.rol(1, 33), bit.bswap(0x12345678)}" 0
            EVAL "return bit.tohex(-1, -4)" 0
            EVAL "return redis.call('set', 'packed', cmsgpack.pack({1, 'x'}))" 0
            EVAL "return cmsgpack.unpack(redis.call('get', 'packed'))[2]" 0
            EVAL "return select('#', struct.pack('i', 1), redis.sha1hex('x'), cjson.encode(1))" 0
            EVAL "return select('#', redis.log(redis.LOG_DEBUG, 'x'))" 0
            """);
    }
}
