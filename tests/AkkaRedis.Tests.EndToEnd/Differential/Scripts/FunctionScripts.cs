namespace AkkaRedis.Tests.EndToEnd.Differential.Scripts;

/// <summary>
/// Redis 7.0's functions (functions.c, function_lua.c): FUNCTION LOAD/LIST/DELETE/FLUSH/DUMP/RESTORE/STATS/KILL/HELP,
/// FCALL and FCALL_RO, compared with redis-server 7.0.15 in RESP2 and RESP3. FLUSHALL keeps libraries (as Redis), so
/// every script starts and ends with FUNCTION FLUSH. Redis lists libraries, and a library's functions, in the order of
/// dicts seeded at random per process: a FUNCTION LIST or DUMP compared here sees one library of one function (more
/// are looked at through LIBRARYNAME, STATS, FCALL). Keys a, b, c, d fall on the four shards.
/// </summary>
public static class FunctionScripts
{
    public const string Family = "functions";

    /// <summary>One library of one function: <c>#!lua name=lib1</c> registering f1 (returns 1), as FUNCTION DUMP of
    /// redis-server 7.0.15 gives it (not compressed: LZF would not save enough).</summary>
    public const string Lib1Payload =
        @"\xf5\x40\x46\x23\x21\x6c\x75\x61\x20\x6e\x61\x6d\x65\x3d\x6c\x69\x62\x31\x0a\x72\x65\x64\x69\x73\x2e\x72\x65\x67\x69\x73\x74\x65\x72\x5f\x66\x75\x6e\x63\x74\x69\x6f\x6e\x28\x27\x66\x31\x27\x2c\x20\x66\x75\x6e\x63\x74\x69\x6f\x6e\x28\x29\x20\x72\x65\x74\x75\x72\x6e\x20\x31\x20\x65\x6e\x64\x29\x0a\x00\x98\xfa\x43\x9b\xf0\xa7\xa5\xa2";

    /// <summary>Library libtwo: function "two" (no-writes, description 'a reader') returning {keys[1], args[1]}, as
    /// redis-server 7.0.15 dumps it: its code LZF-compressed.</summary>
    public const string LibTwoPayload =
        @"\xf5\xc3\x40\x99\x40\xa8\x1f\x23\x21\x6c\x75\x61\x20\x6e\x61\x6d\x65\x3d\x6c\x69\x62\x74\x77\x6f\x0a\x72\x65\x64\x69\x73\x2e\x72\x65\x67\x69\x73\x74\x65\x72\x09\x5f\x66\x75\x6e\x63\x74\x69\x6f\x6e\x7b\xc0\x08\x00\x5f\x60\x2c\x00\x27\x20\x2a\x0b\x27\x2c\x20\x63\x61\x6c\x6c\x62\x61\x63\x6b\x3d\xc0\x1d\x14\x28\x6b\x65\x79\x73\x2c\x20\x61\x72\x67\x73\x29\x20\x72\x65\x74\x75\x72\x6e\x20\x7b\x40\x13\x02\x5b\x31\x5d\x80\x16\x20\x08\x1f\x7d\x20\x65\x6e\x64\x2c\x20\x66\x6c\x61\x67\x73\x3d\x7b\x27\x6e\x6f\x2d\x77\x72\x69\x74\x65\x73\x27\x7d\x2c\x20\x64\x65\x73\x63\x02\x72\x69\x70\x40\x72\x02\x3d\x27\x61\x20\x42\x05\x61\x64\x65\x72\x27\x7d\x0a\x00\x40\x28\x37\x41\x82\xf2\x68\x2d";

    public static IEnumerable<DiffScript> All()
    {
        yield return new(Family, "load-metadata-errors", """
            FUNCTION FLUSH
            FUNCTION LOAD "return 1"
            FUNCTION LOAD "#!lua"
            FUNCTION LOAD "#!lua name=x"
            FUNCTION LOAD "#!lua\n"
            FUNCTION LOAD "#!lua name=x foo=bar\nreturn 1"
            FUNCTION LOAD "#!lua name=x name=y\n"
            FUNCTION LOAD "#!lua name=\"ab\n"
            FUNCTION LOAD "#!lua name=\"a b\"\n"
            FUNCTION LOAD "#!lua name=a-b\n"
            FUNCTION LOAD "#!lua name=\n"
            FUNCTION LOAD "#!js name=x\n"
            FUNCTION LOAD "#! name=x\n"
            FUNCTION LOAD "#!lua name=x\x00\nreturn 1"
            FUNCTION LOAD foo bar
            FUNCTION LOAD REPLACE foo bar
            FUNCTION LOAD REPLACE
            FUNCTION LOAD
            FUNCTION load
            FUNCTION
            FUNCTION nope
            FUNCTION LIST
            FUNCTION STATS
            """);

        yield return new(Family, "load-engine-errors", """
            FUNCTION FLUSH
            FUNCTION LOAD "#!lua name=x\nreturn 1"
            FUNCTION LOAD "#!lua name=x\nredis.register_function('f', function() return 1 end) foo("
            FUNCTION LOAD "#!lua name=x\nredis.register_function('f-1', function() return 1 end)"
            FUNCTION LOAD "#!lua name=x\nredis.register_function{function_name='f', callback=function() return 1 end, flags={'no-writes','bad'}}"
            FUNCTION LOAD "#!lua name=x\nredis.call('set', 'a', 1)"
            FUNCTION LOAD "#!lua name=x\nredis.register_function('f', function() return 1 end)\nredis.register_function('f', function() return 2 end)"
            FUNCTION LIST
            """);

        yield return new(Family, "load-list-delete", """
            FUNCTION FLUSH
            FUNCTION LOAD "#!lua name=mylib\nredis.register_function{function_name='myfunc', callback=function(keys, args) return args[1] end, flags={'no-writes', 'allow-oom', 'allow-stale', 'no-cluster', 'allow-cross-slot-keys'}, description='does things'}"
            FUNCTION LIST
            FUNCTION LIST WITHCODE
            FUNCTION LIST LIBRARYNAME my*
            FUNCTION LIST LIBRARYNAME MY*
            FUNCTION LIST LIBRARYNAME other*
            FUNCTION LIST WITHCODE LIBRARYNAME mylib
            FUNCTION LIST libraryname mylib withcode
            FUNCTION LIST LIBRARYNAME
            FUNCTION LIST LIBRARYNAME a LIBRARYNAME b
            FUNCTION LIST WITHCODE WITHCODE
            FUNCTION LIST foo
            FUNCTION STATS
            FUNCTION LOAD "#!lua name=mylib\nredis.register_function('other', function() return 1 end)"
            FUNCTION DELETE nope
            FUNCTION DELETE MYLIB
            FUNCTION DELETE mylib
            FUNCTION DELETE mylib
            FUNCTION LIST
            FUNCTION DELETE
            FUNCTION DELETE a b
            """);

        yield return new(Family, "replace-and-collisions", """
            FUNCTION FLUSH
            FUNCTION LOAD "#!lua name=x\nredis.register_function('f', function() return 'x1' end)"
            FUNCTION LOAD "#!lua name=y\nredis.register_function('F', function() return 'y' end)"
            FUNCTION LOAD "#!lua name=y\nredis.register_function('g', function() return 'y' end)"
            FUNCTION LOAD "#!LUA name=X\nredis.register_function('h', function() return 'X' end)"
            FCALL F 0
            FCALL H 0
            FUNCTION LOAD REPLACE "#!lua name=x\nredis.register_function('f', function() return 'x2' end)\nredis.register_function('g', function() return 'x2' end)"
            FUNCTION LOAD REPLACE "#!lua name=x\nredis.register_function('f2', function() return 'x3' end)"
            FCALL f 0
            FCALL f2 0
            FUNCTION LOAD REPLACE REPLACE "#!lua name=x\nredis.register_function('f', function() return 'x4' end)"
            FCALL f 0
            FCALL f2 0
            FUNCTION DELETE X
            FUNCTION LIST LIBRARYNAME x
            FUNCTION STATS
            FUNCTION LOAD REPLACE "#!lua name=x\nsyntax error here"
            FCALL f 0
            FUNCTION FLUSH
            """);

        yield return new(Family, "fcall", """
            FUNCTION FLUSH
            FUNCTION LOAD "#!lua name=lib\nredis.register_function('setget', function(keys, args) redis.call('set', keys[1], args[1]) return redis.call('get', keys[1]) end)\nredis.register_function{function_name='reader', callback=function(keys, args) return {keys, args, redis.call('get', keys[1])} end, flags={'no-writes'}}\nredis.register_function('count', function(keys, args) return #keys * 100 + #args end)\nredis.register_function('boom', function() return redis.error_reply('MY custom') end)\nredis.register_function('fail', function() error('oops') end)\nredis.register_function('types', function() return {1, 2.9, 'three', true, false, {ok='fine'}, {err='bad'}} end)"
            FCALL setget 1 a va
            FCALL reader 1 a x y
            FCALL_RO reader 1 a
            FCALL_RO setget 1 a v
            FCALL SETGET 1 b vb
            GET b
            FCALL count 0
            FCALL count 2 a b c
            FCALL count 0 a b c
            FCALL count 3 a b c
            FCALL count 4 a b c
            FCALL count -1
            FCALL count x
            FCALL count 1.5 a
            FCALL nope 0
            FCALL nope x
            FCALL boom 0
            FCALL fail 0
            FCALL types 0
            FCALL count
            FCALL
            FCALL_RO count
            FUNCTION FLUSH
            """);

        // The Lua side as a function sees it (function_lua.c): the load-time environment (only register_function, log
        // and the version fields), globals, KEYS/ARGV absent, pcall, error and status replies, RESP3 conversions.
        yield return new(Family, "lua-environment", """
            FUNCTION FLUSH
            FUNCTION LOAD "#!lua name=x\nredis.call('set', 'a', 1)\nredis.register_function('f', function() return 1 end)"
            FUNCTION LOAD "#!lua name=x\nlocal v = redis.pcall('get', 'a')\nredis.register_function('f', function() return 1 end)"
            FUNCTION LOAD "#!lua name=x\nredis.setresp(3)\nredis.register_function('f', function() return 1 end)"
            FUNCTION LOAD "#!lua name=x\nmygl = 1\nredis.register_function('f', function() return 1 end)"
            FUNCTION LOAD "#!lua name=x\nredis.log(redis.LOG_NOTICE, 'loading')\nredis.register_function('f', function() return redis.REDIS_VERSION_NUM > 0 end)"
            FCALL f 0
            FUNCTION LOAD "#!lua name=y\nredis.register_function('reg', function() redis.register_function('inner', function() return 1 end) end)\nredis.register_function('gl', function() return {type(KEYS), type(ARGV)} end)\nredis.register_function('setgl', function() newglobal = 1 return 1 end)\nredis.register_function('pc', function(keys) local r = redis.pcall('incr', keys[1]) return {type(r), r['err']} end)\nredis.register_function('st', function() return redis.status_reply('FINE') end)\nredis.register_function('r3', function() redis.setresp(3) return redis.call('hgetall', 'h') end)\nredis.register_function('nums', function() return {1.9, -2.5, 3, 'x'} end)\nredis.register_function('sha', function(keys, args) return redis.sha1hex(args[1]) end)\nredis.register_function('args', function(keys, args) return {#keys, #args, keys[2], args[2]} end)"
            FCALL reg 0
            FCALL gl 0
            FCALL setgl 0
            SET s notanumber
            FCALL pc 1 s
            FCALL st 0
            HSET h f v
            FCALL r3 0
            FCALL nums 0
            FCALL sha 0 abc
            FCALL args 2 k1 k2 a1 a2 a3
            FUNCTION FLUSH
            """);

        yield return new(Family, "dump-restore", $"""
            FUNCTION FLUSH
            FUNCTION DUMP
            FUNCTION RESTORE "{Lib1Payload}"
            FUNCTION LIST WITHCODE
            FCALL f1 0
            FUNCTION DUMP
            FUNCTION RESTORE "{Lib1Payload}"
            FUNCTION RESTORE "{Lib1Payload}" APPEND
            FUNCTION RESTORE "{Lib1Payload}" replace
            FUNCTION RESTORE "{LibTwoPayload}"
            FCALL two 1 k v
            FCALL_RO two 1 k v
            FUNCTION LIST LIBRARYNAME libtwo WITHCODE
            FUNCTION STATS
            FUNCTION RESTORE "{LibTwoPayload}" FLUSH
            FUNCTION LIST
            FUNCTION DUMP
            FCALL f1 0
            FUNCTION RESTORE "{Lib1Payload}" bad
            FUNCTION RESTORE "{Lib1Payload}" FLUSH extra
            FUNCTION RESTORE abc
            FUNCTION RESTORE ""
            FUNCTION RESTORE "\x0a\x00\x5d\x9b\x5c\x40\x0f\x7f\xa2\xda"
            FUNCTION RESTORE "\x0a\x00\x5d\x9b\x5c\x40\x0f\x7f\xa2\xdb"
            FUNCTION RESTORE "\x00\x0a\x00\x71\x8d\x5e\x64\x31\x8d\xc4\xd6"
            FUNCTION LIST
            FUNCTION FLUSH
            FUNCTION DUMP
            """);

        yield return new(Family, "flush-stats-help-kill", """
            FUNCTION FLUSH
            FUNCTION LOAD "#!lua name=a\nredis.register_function('fa', function() return 1 end)\nredis.register_function('fb', function() return 1 end)"
            FUNCTION LOAD "#!lua name=b\nredis.register_function('fc', function() return 1 end)"
            FUNCTION STATS
            FUNCTION FLUSH SYNC
            FUNCTION STATS
            FUNCTION LOAD "#!lua name=a\nredis.register_function('fa', function() return 1 end)"
            FUNCTION FLUSH async
            FUNCTION LIST
            FUNCTION FLUSH x
            FUNCTION FLUSH SYNC ASYNC
            FUNCTION STATS x
            FUNCTION HELP
            FUNCTION help x
            FUNCTION KILL
            FUNCTION KILL x
            FUNCTION DUMP x
            FLUSHALL
            FUNCTION LOAD "#!lua name=a\nredis.register_function('fa', function() return 1 end)"
            FLUSHALL
            FUNCTION LIST
            FUNCTION FLUSH
            """);
    }

    public static IEnumerable<EffectScripts.Script> Effects()
    {
        yield return new("function-load-delete-flush-restore", $"""
            FUNCTION FLUSH
            FUNCTION LOAD "#!lua name=x\nredis.register_function('f', function(keys, args) return redis.call('set', keys[1], args[1]) end)"
            FUNCTION LOAD "#!lua name=x\nredis.register_function('f', function() return 1 end)"
            FUNCTION LOAD "return 1"
            FUNCTION LOAD REPLACE "#!lua name=x\nredis.register_function('f', function(keys, args) return redis.call('set', keys[1], args[1]) end)"
            FUNCTION DELETE x
            FUNCTION DELETE x
            FUNCTION RESTORE "{Lib1Payload}"
            FUNCTION RESTORE "{Lib1Payload}"
            FUNCTION RESTORE "{Lib1Payload}" REPLACE
            FUNCTION RESTORE abc
            SELECT 3
            FUNCTION FLUSH ASYNC
            FUNCTION FLUSH x
            SELECT 0
            FUNCTION FLUSH
            """, "FUNCTION FLUSH");
        // FCALL's effects are the commands the function ran, as EVAL's (one bare, several in MULTI ... EXEC, none for a
        // function that wrote nothing or was refused), in the caller's database.
        yield return new("fcall-effects", """
            FUNCTION FLUSH
            FUNCTION LOAD "#!lua name=w\nredis.register_function('one', function(keys, args) return redis.call('set', keys[1], args[1]) end)\nredis.register_function('two', function(keys, args) redis.call('incr', keys[1]) redis.call('incr', keys[2]) return redis.call('get', keys[1]) end)\nredis.register_function('none', function(keys) return redis.call('get', keys[1]) end)\nredis.register_function('half', function(keys) redis.call('set', keys[1], 'x') return redis.call('incr', keys[1]) end)\nredis.register_function('expire', function(keys) return redis.call('expire', keys[1], 100) end)\nredis.register_function{function_name='ro', callback=function(keys) return redis.call('get', keys[1]) end, flags={'no-writes'}}"
            FCALL one 1 a v1
            FCALL two 2 {t}1 {t}2
            FCALL two 2 a b
            FCALL none 1 a
            FCALL_RO ro 1 a
            FCALL_RO one 1 a v2
            FCALL half 1 c
            FCALL expire 1 a
            SELECT 5
            FCALL one 1 a v5
            SELECT 0
            FCALL nope 0
            FUNCTION FLUSH
            """, "FUNCTION FLUSH");
    }
}
