namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// EVAL and friends (eval.c, script.c 7.0): EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT LOAD/EXISTS/FLUSH/KILL/HELP/DEBUG,
/// the script cache, shebang flags and what they change, scriptCall's refusals (unknown command, arity, noscript
/// commands, writes from read-only scripts), SELECT inside a script, blocking commands that do not block, scripts
/// inside MULTI, and scripts whose keys span shards: keys a, b, c, d fall on the four shards of the 4-shard server, so
/// a script declaring a and touching b runs again holding every shard (Redis standalone semantics).
/// </summary>
public static class ScriptingScripts
{
    public const string Family = "scripting";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "eval-basics", """
            EVAL "return 1" 0
            EVAL "return 'hello'" 0
            EVAL "return {1, 2, {3, 'x'}}" 0
            EVAL "return KEYS[1] .. ARGV[1]" 1 k v
            EVAL "return {KEYS[1], KEYS[2], ARGV[1], ARGV[2]}" 2 a b c d
            EVAL "return #KEYS + #ARGV" 0 x y z
            EVAL "return redis.call('set', KEYS[1], ARGV[1])" 1 a 1
            EVAL "return redis.call('get', KEYS[1])" 1 a
            EVAL "return redis.call('incr', KEYS[1])" 1 a
            EVAL "return redis.pcall('incr', 'a', 'b')" 0
            GET a
            eval "return 2" 0
            EvAl "return 3" "0"
            EVAL "return 1" -1
            EVAL "return 1" 2 a
            EVAL "return 1" x
            EVAL "return 1" 1.5 a
            EVAL "return 1" ""
            EVAL "return 1"
            EVAL
            """);

        yield return new(Family, "evalsha-and-cache", """
            SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db
            EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0
            SCRIPT LOAD "return 1"
            SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db E0E1F9FABFC9D4800C877A703B823AC0578FF8DB ffffffffffffffffffffffffffffffffffffffff x
            EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0
            EVALSHA E0E1F9FABFC9D4800C877A703B823AC0578FF8DB 0
            EVALSHA_RO e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0
            EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db -1
            EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 1
            EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db x
            EVALSHA abc 0
            EVALSHA abc x
            EVALSHA ffffffffffffffffffffffffffffffffffffffff x
            EVALSHA ffffffffffffffffffffffffffffffffffffffff 0
            SCRIPT LOAD "return 1"
            EVAL "return KEYS[1]" 1 k
            EVALSHA 4a2267357833227dd98abdedb8cf24b15a986445 1 k
            SCRIPT LOAD "return KEYS[1]"
            SCRIPT LOAD "return ("
            SCRIPT LOAD "#!lua flags=bogus\nreturn 1"
            SCRIPT FLUSH
            SCRIPT EXISTS e0e1f9fabfc9d4800c877a703b823ac0578ff8db
            EVALSHA e0e1f9fabfc9d4800c877a703b823ac0578ff8db 0
            EVAL "return 1" 0
            SCRIPT FLUSH SYNC
            SCRIPT FLUSH async
            SCRIPT FLUSH now
            SCRIPT FLUSH SYNC extra
            SCRIPT EXISTS
            SCRIPT LOAD
            SCRIPT LOAD a b
            SCRIPT KILL
            SCRIPT KILL now
            SCRIPT HELP
            SCRIPT help extra
            SCRIPT DEBUG NO
            SCRIPT DEBUG maybe
            SCRIPT nosuch
            SCRIPT
            """);

        yield return new(Family, "shebang", """
            EVAL "#!lua\nreturn 1" 0
            EVAL "#!lua flags=\nreturn 2" 0
            EVAL "#!lua flags=no-writes,allow-oom,allow-stale,no-cluster,allow-cross-slot-keys\nreturn 3" 0
            EVAL "#!lua flags=no-writes,bogus\nreturn 1" 0
            EVAL "#!lua flags=no-writes,\nreturn 1" 0
            EVAL "#!luax\nreturn 1" 0
            EVAL "#!lua foo\nreturn 1" 0
            EVAL "#!lua" 0
            EVAL "#!lua\nreturn (" 0
            EVAL "#!lua\n\nreturn redis.call('nosuch')" 0
            EVAL "#!lua\nreturn redis.call('set', KEYS[1], 'x')" 1 a
            EVAL_RO "#!lua\nreturn redis.call('get', KEYS[1])" 1 a
            EVAL_RO "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])" 1 a
            EVAL "#!lua flags=no-writes\nreturn redis.call('set', KEYS[1], 'y')" 1 a
            EVAL "#!lua flags=no-writes\nreturn redis.pcall('del', KEYS[1])" 1 a
            GET a
            EVAL_RO "return redis.call('set', KEYS[1], 'z')" 1 a
            EVAL_RO "return redis.pcall('publish', 'ch', 'm')" 0
            EVAL_RO "return redis.call('get', KEYS[1])" 1 a
            EVAL_RO "return 1" 1.5 a
            GET a
            """);

        yield return new(Family, "refused-commands", """
            EVAL "return redis.call('nosuch', 'a')" 0
            EVAL "return redis.pcall('nosuch', 'a')" 0
            EVAL "return redis.call('get')" 0
            EVAL "return redis.call('get', 'a', 'b')" 0
            EVAL "return redis.call()" 0
            EVAL "return redis.call('eval', 'return 1', 0)" 0
            EVAL "return redis.call('evalsha', 'e0e1f9fabfc9d4800c877a703b823ac0578ff8db', 0)" 0
            EVAL "return redis.call('script', 'load', 'return 1')" 0
            EVAL "return redis.call('multi')" 0
            EVAL "return redis.call('exec')" 0
            EVAL "return redis.call('watch', 'a')" 0
            EVAL "return redis.call('subscribe', 'ch')" 0
            EVAL "return redis.call('blpop', 'q', 0)" 0
            EVAL "return redis.call('client')" 0
            EVAL "return redis.call('client', 'nosuch')" 0
            EVAL "return redis.call('config', 'get', 'maxmemory')" 0
            EVAL "return redis.pcall('debug', 'sleep', 0)" 0
            EVAL "return redis.pcall('shutdown')" 0
            EVAL "return redis.call('object')" 0
            """);

        yield return new(Family, "connection-commands", """
            EVAL "return redis.call('ping')" 0
            EVAL "return redis.call('ping', 'hi')" 0
            EVAL "return redis.call('echo', 'x')" 0
            EVAL "return #redis.call('time')" 0
            EVAL "return redis.call('publish', 'nobody', 'm')" 0
            EVAL "redis.call('select', 3); redis.call('set', 'a', 'in3'); return redis.call('get', 'a')" 0
            GET a
            SELECT 3
            GET a
            EVAL "return redis.call('get', 'a')" 0
            EVAL "return redis.pcall('select', 99)" 0
            EVAL "return redis.pcall('select', 'x')" 0
            EVAL "redis.call('select', 0); return redis.call('get', 'a')" 0
            GET a
            SELECT 0
            """);

        yield return new(Family, "blocking-does-not-block", """
            EVAL "return redis.call('blpop', KEYS[1], 0)" 1 q
            EVAL "return redis.call('brpoplpush', KEYS[1], KEYS[2], 0)" 2 {q}1 {q}2
            EVAL "return redis.call('bzpopmin', KEYS[1], 0)" 1 z
            EVAL "return redis.call('xread', 'block', 0, 'streams', KEYS[1], '$')" 1 s
            EVAL "return redis.call('blmove', KEYS[1], KEYS[2], 'left', 'right', 0)" 2 {q}1 {q}2
            RPUSH q x
            EVAL "return redis.call('blpop', KEYS[1], 0)" 1 q
            EXISTS q
            """);

        yield return new(Family, "cross-shard", """
            EVAL "redis.call('set', KEYS[1], 1); redis.call('set', KEYS[2], 2); redis.call('set', KEYS[3], 3); redis.call('set', KEYS[4], 4); return redis.call('mget', KEYS[1], KEYS[2], KEYS[3], KEYS[4])" 4 a b c d
            EVAL "return redis.call('mget', 'a', 'b', 'c', 'd')" 0
            EVAL "return redis.call('get', 'b')" 1 a
            EVAL "return {redis.call('get', KEYS[1]), redis.call('get', 'c'), redis.call('get', 'd')}" 1 a
            EVAL "redis.call('set', 'b', 'undeclared'); return redis.call('get', 'b')" 1 a
            EVAL "return redis.call('incr', 'c')" 2 a b
            EVAL "local v = redis.call('get', 'd'); redis.call('set', KEYS[1], v); return redis.call('get', KEYS[1])" 1 a
            EVAL "return redis.call('dbsize')" 1 a
            EVAL "return #redis.call('keys', '*')" 1 a
            EVAL "return redis.call('exists', 'a', 'b', 'c', 'd', 'e')" 1 a
            EVAL "redis.call('del', 'a', 'b', 'c', 'd'); return redis.call('dbsize')" 0
            MGET a b c d
            RPUSH a x
            EVAL "return redis.call('lmove', KEYS[1], 'b', 'left', 'left')" 1 a
            LRANGE b 0 -1
            EVAL "return redis.call('flushdb')" 1 a
            DBSIZE
            """);

        yield return new(Family, "in-multi", """
            MULTI
            EVAL "redis.call('set', KEYS[1], 'x'); return redis.call('incr', 'b')" 1 a
            EVAL "return redis.call('get', 'a')" 0
            EVALSHA ffffffffffffffffffffffffffffffffffffffff 0
            SET c 1
            EXEC
            MULTI
            EVAL "return 1" -1
            EXEC
            MULTI
            SCRIPT LOAD "return 'multi'"
            EVALSHA d35b21b5f9e4c292adb688d73ce2cd80612b22e9 0
            EXEC
            """);

        yield return new(Family, "errors-and-pcall", """
            SET s str
            EVAL "return redis.call('incr', KEYS[1])" 1 s
            EVAL "return redis.pcall('incr', KEYS[1])" 1 s
            EVAL "return redis.call('lpush', KEYS[1], 'x')" 1 s
            EVAL "local ok = redis.pcall('lpush', KEYS[1], 'x'); return type(ok)" 1 s
            EVAL "return redis.error_reply('MY custom')" 0
            EVAL "return redis.status_reply('FINE')" 0
            EVAL "return {err='ERR plain'}" 0
            EVAL "error('boom')" 0
            EVAL "return (" 0
            EVAL "return redis.call('hset', KEYS[1], 'f')" 1 h
            EVAL "return redis.acl_check_cmd('get', 'a')" 0
            EVAL "return redis.acl_check_cmd('client', 'nosuch')" 0
            EVAL "return redis.acl_check_cmd('nosuch')" 0
            EVAL "return redis.pcall('xread', 'BLOCK', 0, 'STREAMS', 'x', '$')" 0
            EVAL "return redis.pcall('xreadgroup', 'GROUP', 'g', 'c', 'block', 0, 'STREAMS', 'x', '>')" 0
            EVAL_RO "return redis.pcall('pfcount', 'x')" 0
            EVAL_RO "return redis.pcall('spublish', 'ch', 'm')" 0
            """);
    }

    /// <summary>Write effects of scripts (<see cref="EffectsDifferentialTests"/>): redis-server 7.0 propagates a script's
    /// effects, wrapped in MULTI ... EXEC when there are several.</summary>
    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("scripting-effects", """
            EVAL "return redis.call('set', KEYS[1], 'one')" 1 a
            EVAL "redis.call('set', KEYS[1], 1); redis.call('incr', KEYS[1]); return redis.call('get', KEYS[1])" 1 a
            EVAL "return redis.call('get', KEYS[1])" 1 a
            EVAL "return 1" 0
            EVAL "redis.call('del', 'nosuchkey'); return 1" 0
            EVAL "redis.call('set', KEYS[1], 1); redis.call('set', KEYS[2], 2); redis.call('set', KEYS[3], 3)" 3 a b c
            EVAL "redis.call('set', 'd', 'undeclared'); redis.call('set', KEYS[1], 'x')" 1 a
            EVAL "redis.call('set', KEYS[1], 'e', 'EX', 100); redis.call('expire', KEYS[1], 1000)" 1 a
            EVAL "redis.call('incrbyfloat', KEYS[1], 1.5); redis.call('spop', KEYS[2])" 2 f g
            EVAL "redis.call('select', 2); redis.call('set', 'a', 'two'); redis.call('select', 0); redis.call('set', 'a', 'zero')" 0
            SCRIPT LOAD "redis.call('rpush', KEYS[1], ARGV[1]); return redis.call('rpush', KEYS[1], ARGV[1])"
            EVALSHA 73d697518c2fb121b67271ab88b22b68cfd363f5 1 l x
            EVAL "redis.set_repl(redis.REPL_NONE); redis.call('set', KEYS[1], 'hidden'); redis.set_repl(redis.REPL_ALL); redis.call('set', KEYS[2], 'shown')" 2 a b
            EVAL "redis.set_repl(redis.REPL_NONE); redis.call('set', KEYS[1], 'hidden')" 1 a
            EVAL "redis.call('set', KEYS[1], 'before'); redis.pcall('incr', 'x', 'y'); redis.call('set', KEYS[1], 'after')" 1 a
            MULTI
            EVAL "redis.call('set', KEYS[1], 1); redis.call('set', KEYS[1], 2)" 1 a
            SET b 1
            EXEC
            MULTI
            EVAL "redis.call('set', KEYS[1], 1)" 1 a
            EXEC
            SCRIPT LOAD "return 'not propagated'"
            SCRIPT FLUSH
            EVAL_RO "return redis.call('get', KEYS[1])" 1 a
            EVAL "return redis.call('publish', 'nobody', 'alone')" 0
            EVAL "redis.call('set', KEYS[1], 'p'); return redis.call('publish', 'nobody', 'after a write')" 1 a
            EVAL "redis.set_repl(redis.REPL_AOF); redis.call('publish', 'nobody', 'aof only'); redis.set_repl(redis.REPL_ALL); return redis.call('publish', 'nobody', 'all')" 0
            """);
    }
}
