using System.Text;
using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>
/// The keys family on one shard, replies compared byte for byte with what redis-server 7.0.15 sends.
/// </summary>
public sealed class KeysCommandTests
{
    private readonly HandlerHarness h = new();

    private static string Int(long n) => $":{n}\r\n";
    private static string Bulk(string s) => $"${Encoding.UTF8.GetByteCount(s)}\r\n{s}\r\n";
    private static string Err(string message) => $"-{message}\r\n";
    private const string Ok = "+OK\r\n";
    private const string Null2 = "$-1\r\n";
    private static string Arity(string name) => $"-ERR wrong number of arguments for '{name}' command\r\n";

    private Database Db(int index = 0) => h.Shard.Databases[index];
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);
    private KeyEntry Obj(string key, int db = 0) => Db(db).Find(B(key), ServerContext.UnixMs());

    /// <summary>Leaves a key in the table whose TTL has passed, as if neither a read nor the active cycle met it yet.</summary>
    private void SetExpired(string key, int db = 0)
    {
        h.Db = db;
        h.Run("SET", key, "v");
        h.Db = 0;
        Db(db).SetExpire(Obj(key, db), ServerContext.UnixMs() - 1000);
    }

    private void Put(string key, RedisType type, ObjectEncoding encoding, object value, int db = 0) =>
        Db(db).SetValue(B(key), type, encoding, value, ServerContext.UnixMs());

    // ---- DEL / UNLINK / EXISTS / TOUCH ------------------------------------------------------------------------

    [Theory]
    [InlineData("DEL")]
    [InlineData("UNLINK")]
    public void Del_counts_each_removed_key_once(string command)
    {
        Assert.Equal(Int(0), h.Run(command, "nokey"));
        h.Run("SET", "a", "1");
        h.Run("SET", "b", "2");
        Assert.Equal(Int(2), h.Run(command, "a", "b", "c", "a"));
        Assert.Equal(Int(0), h.Run("EXISTS", "a", "b"));
        Assert.Equal(0, Db().Count);
        Assert.Equal(Arity(command.ToLowerInvariant()), h.Run(command));
    }

    [Fact]
    public void Del_of_an_expired_key_counts_nothing_and_expires_it()
    {
        SetExpired("gone");
        Assert.Equal(Int(0), h.Run("DEL", "gone"));
        Assert.Equal(0, Db().Count);
        Assert.Equal(1, h.Shard.Stats.ExpiredKeys);
    }

    [Fact]
    public void Exists_counts_duplicates_and_counts_hits_without_touching()
    {
        h.Run("SET", "k", "v");
        Database.Touch(Obj("k"), 1234);
        var hits = h.Shard.Stats.KeyspaceHits;
        var misses = h.Shard.Stats.KeyspaceMisses;
        Assert.Equal(Int(2), h.Run("EXISTS", "k", "k", "nokey"));
        Assert.Equal(hits + 2, h.Shard.Stats.KeyspaceHits);
        Assert.Equal(misses + 1, h.Shard.Stats.KeyspaceMisses);
        Assert.Equal(Database.LruClock(1234), Obj("k").Lru);
        SetExpired("old");
        Assert.Equal(Int(0), h.Run("EXISTS", "old"));
        Assert.Equal(Arity("exists"), h.Run("EXISTS"));
    }

    [Fact]
    public void Touch_counts_existing_keys_and_updates_their_access_time()
    {
        h.Run("SET", "k", "v");
        Database.Touch(Obj("k"), 1234);
        Assert.Equal(Int(2), h.Run("TOUCH", "k", "nokey", "k"));
        Assert.NotEqual(Database.LruClock(1234), Obj("k").Lru);
        Assert.Equal(Arity("touch"), h.Run("TOUCH"));
    }

    [Fact]
    public void Type_names_every_type_as_a_status_reply()
    {
        Assert.Equal("+none\r\n", h.Run("TYPE", "nokey"));
        h.Run("SET", "s", "v");
        Assert.Equal("+string\r\n", h.Run("TYPE", "s"));
        Put("l", RedisType.List, ObjectEncoding.QuickList, new object());
        Put("h", RedisType.Hash, ObjectEncoding.ListPack, new object());
        Put("st", RedisType.Set, ObjectEncoding.IntSet, new object());
        Put("z", RedisType.ZSet, ObjectEncoding.SkipList, new object());
        Put("x", RedisType.Stream, ObjectEncoding.Stream, new object());
        Assert.Equal("+list\r\n", h.Run("TYPE", "l"));
        Assert.Equal("+hash\r\n", h.Run("TYPE", "h"));
        Assert.Equal("+set\r\n", h.Run("TYPE", "st"));
        Assert.Equal("+zset\r\n", h.Run("TYPE", "z"));
        Assert.Equal("+stream\r\n", h.Run("TYPE", "x"));
        SetExpired("old");
        Assert.Equal("+none\r\n", h.Run("TYPE", "old"));
        Assert.Equal(Arity("type"), h.Run("TYPE"));
        Assert.Equal(Arity("type"), h.Run("TYPE", "a", "b"));
    }

    // ---- EXPIRE family ----------------------------------------------------------------------------------------

    [Fact]
    public void Expire_sets_a_ttl_on_existing_keys_only()
    {
        Assert.Equal(Int(0), h.Run("EXPIRE", "nokey", "100"));
        h.Run("SET", "k", "v");
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "100"));
        Assert.Equal(Int(100), h.Run("TTL", "k"));
        var pttl = long.Parse(h.Run("PTTL", "k")[1..^2]);
        Assert.InRange(pttl, 99_000, 100_000);
        Assert.Equal(1, Db().VolatileCount);
        Assert.Equal(Int(1), h.Run("PEXPIRE", "k", "5000"));
        Assert.Equal(Int(5), h.Run("TTL", "k"));
        Assert.Equal(1, Db().VolatileCount);
    }

    [Fact]
    public void ExpireAt_and_PExpireAt_take_absolute_times()
    {
        h.Run("SET", "k", "v");
        Assert.Equal(Int(1), h.Run("PEXPIREAT", "k", "99999999999999"));
        Assert.Equal(Int(99999999999999), h.Run("PEXPIRETIME", "k"));
        Assert.Equal(Int(100000000000), h.Run("EXPIRETIME", "k")); // rounded to the nearest second
        Assert.Equal(Int(1), h.Run("EXPIREAT", "k", "9223372036854775"));
        Assert.Equal(Int(9223372036854775), h.Run("EXPIRETIME", "k"));
        Assert.Equal(Int(9223372036854775000), h.Run("PEXPIRETIME", "k"));
        Assert.Equal(Int(1), h.Run("PEXPIREAT", "k", "9223372036854775807"));
        Assert.Equal(Int(9223372036854775807), h.Run("PEXPIRETIME", "k"));
        // Rounded up past LLONG_MAX / 1000 as redis-server 7.0.15 does (its division is unsigned), not wrapped negative.
        Assert.Equal(Int(9223372036854776), h.Run("EXPIRETIME", "k"));
        Assert.Equal(Int(1), h.Run("PEXPIREAT", "k", "9223372036854775500"));
        Assert.Equal(Int(9223372036854776), h.Run("EXPIRETIME", "k"));
    }

    [Theory]
    [InlineData("EXPIRE", "-1")]
    [InlineData("EXPIRE", "0")]
    [InlineData("PEXPIRE", "-1000")]
    [InlineData("PEXPIRE", "0")]
    [InlineData("EXPIREAT", "1")]
    [InlineData("PEXPIREAT", "0")]
    [InlineData("PEXPIREAT", "-9223372036854775808")]
    [InlineData("EXPIRE", "-9223372036854775")]
    public void A_time_in_the_past_deletes_the_key(string command, string when)
    {
        h.Run("SET", "k", "v");
        Assert.Equal(Int(1), h.Run(command, "k", when));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
        Assert.Equal(0, Db().Count);
        Assert.Equal(0, Db().VolatileCount);
        Assert.Equal(Int(0), h.Run(command, "k", when));
    }

    [Theory]
    [InlineData("EXPIRE", "9223372036854775807")]
    [InlineData("EXPIRE", "9223372036854775")] // fits after *1000, overflows when now is added
    [InlineData("EXPIRE", "-9223372036854776")]
    [InlineData("EXPIRE", "-9223372036854775808")]
    [InlineData("PEXPIRE", "9223372036854775807")]
    [InlineData("EXPIREAT", "9223372036854776")]
    public void Expire_times_that_overflow_are_refused_even_for_missing_keys(string command, string when)
    {
        var error = Err($"ERR invalid expire time in '{command.ToLowerInvariant()}' command");
        Assert.Equal(error, h.Run(command, "nokey", when));
        h.Run("SET", "k", "v");
        Assert.Equal(error, h.Run(command, "k", when));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
    }

    [Fact]
    public void Expire_validates_options_before_the_time()
    {
        Assert.Equal(Err("ERR Unsupported option foo"), h.Run("EXPIRE", "k", "abc", "foo"));
        Assert.Equal(Err("ERR Unsupported option foo"), h.Run("EXPIRE", "k", "10", "nx", "foo"));
        Assert.Equal(Err("ERR value is not an integer or out of range"), h.Run("EXPIRE", "k", "abc"));
        Assert.Equal(Err("ERR value is not an integer or out of range"), h.Run("EXPIRE", "k", "1.5"));
        Assert.Equal(Err("ERR value is not an integer or out of range"), h.Run("EXPIRE", "k", " 1"));
        Assert.Equal(Err("ERR value is not an integer or out of range"), h.Run("EXPIRE", "k", "abc", "nx"));
        Assert.Equal(Arity("expire"), h.Run("EXPIRE", "k"));
        Assert.Equal(Arity("pexpireat"), h.Run("PEXPIREAT", "k"));
        // An option is a C string: Redis prints it up to its first NUL.
        Assert.Equal(Err("ERR Unsupported option a"), h.Run((byte[][])[B("EXPIRE"), B("k"), B("1"), [(byte)'a', 0, (byte)'b']]));
    }

    [Theory]
    [InlineData("NX", "XX")]
    [InlineData("nx", "gt")]
    [InlineData("lt", "NX")]
    [InlineData("lt", "gt", "nx")]
    public void Nx_with_any_other_condition_is_refused(params string[] options)
    {
        h.Run("SET", "k", "v");
        var args = new List<string> { "EXPIRE", "k", "10" };
        args.AddRange(options);
        Assert.Equal(Err("ERR NX and XX, GT or LT options at the same time are not compatible"), h.Run(args.ToArray()));
    }

    [Theory]
    [InlineData("gt", "lt")]
    [InlineData("xx", "gt", "lt")]
    [InlineData("LT", "GT")]
    public void Gt_with_lt_is_refused(params string[] options)
    {
        var args = new List<string> { "PEXPIRE", "k", "10" };
        args.AddRange(options);
        Assert.Equal(Err("ERR GT and LT options at the same time are not compatible"), h.Run(args.ToArray()));
    }

    [Fact]
    public void Repeated_options_are_accepted()
    {
        h.Run("SET", "k", "v");
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "10", "NX", "nx"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "10", "xx", "XX"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "20", "xx", "gt"));
    }

    [Fact]
    public void Nx_xx_gt_lt_compare_with_the_current_ttl()
    {
        h.Run("SET", "k", "v");
        // No TTL: XX and GT refuse (no TTL is infinite), NX and LT accept.
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "100", "XX"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "100", "GT"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "100", "LT"));
        Assert.Equal(Int(100), h.Run("TTL", "k"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "50", "NX"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "50", "GT"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "200", "GT"));
        Assert.Equal(Int(200), h.Run("TTL", "k"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "300", "LT"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "20", "LT"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "30", "XX"));
        Assert.Equal(Int(30), h.Run("TTL", "k"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "40", "XX", "GT"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "10", "XX", "GT"));
        Assert.Equal(Int(40), h.Run("TTL", "k"));
        // A missing key answers 0 whatever the options.
        Assert.Equal(Int(0), h.Run("EXPIRE", "nokey", "10", "NX"));
        Assert.Equal(Int(0), h.Run("EXPIRE", "nokey", "10", "LT"));
    }

    [Fact]
    public void Lt_or_gt_with_a_past_time_deletes_only_when_the_condition_holds()
    {
        h.Run("SET", "k", "v");
        Assert.Equal(Int(0), h.Run("EXPIRE", "k", "-5", "GT"));
        Assert.Equal(Int(1), h.Run("EXISTS", "k"));
        Assert.Equal(Int(1), h.Run("EXPIRE", "k", "-5", "LT"));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
    }

    [Fact]
    public void Ttl_family_replies()
    {
        foreach (var command in new[] { "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME" })
        {
            Assert.Equal(Int(-2), h.Run(command, "nokey"));
            Assert.Equal(Arity(command.ToLowerInvariant()), h.Run(command));
        }
        h.Run("SET", "k", "v");
        foreach (var command in new[] { "TTL", "PTTL", "EXPIRETIME", "PEXPIRETIME" })
            Assert.Equal(Int(-1), h.Run(command, "k"));
        SetExpired("old");
        Assert.Equal(Int(-2), h.Run("PTTL", "old"));
    }

    [Fact]
    public void Ttl_rounds_to_the_nearest_second()
    {
        h.Run("SET", "a", "v");
        h.Run("SET", "b", "v");
        var now = ServerContext.UnixMs();
        Db().SetExpire(Obj("a"), now + 10_300);
        Db().SetExpire(Obj("b"), now + 10_800);
        Assert.Equal(Int(10), h.Run("TTL", "a"));
        Assert.Equal(Int(11), h.Run("TTL", "b"));
    }

    [Fact]
    public void Ttl_reads_count_hits_but_do_not_touch()
    {
        h.Run("SET", "k", "v");
        Database.Touch(Obj("k"), 5);
        var hits = h.Shard.Stats.KeyspaceHits;
        h.Run("TTL", "k");
        h.Run("PEXPIRETIME", "k");
        Assert.Equal(hits + 2, h.Shard.Stats.KeyspaceHits);
        Assert.Equal(Database.LruClock(5), Obj("k").Lru);
    }

    [Fact]
    public void Persist_removes_a_ttl()
    {
        Assert.Equal(Int(0), h.Run("PERSIST", "nokey"));
        h.Run("SET", "k", "v");
        Assert.Equal(Int(0), h.Run("PERSIST", "k"));
        h.Run("EXPIRE", "k", "100");
        Assert.Equal(Int(1), h.Run("PERSIST", "k"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
        Assert.Equal(0, Db().VolatileCount);
        Assert.Equal(Int(0), h.Run("PERSIST", "k"));
        SetExpired("old");
        Assert.Equal(Int(0), h.Run("PERSIST", "old"));
        Assert.Equal(Arity("persist"), h.Run("PERSIST"));
    }

    // ---- RENAME / RENAMENX -----------------------------------------------------------------------------------

    [Fact]
    public void Rename_of_a_missing_key_is_an_error_even_onto_itself()
    {
        Assert.Equal(Err("ERR no such key"), h.Run("RENAME", "nokey", "x"));
        Assert.Equal(Err("ERR no such key"), h.Run("RENAME", "nokey", "nokey"));
        Assert.Equal(Err("ERR no such key"), h.Run("RENAMENX", "nokey", "x"));
        Assert.Equal(Err("ERR no such key"), h.Run("RENAMENX", "nokey", "nokey"));
        SetExpired("old");
        Assert.Equal(Err("ERR no such key"), h.Run("RENAME", "old", "x"));
        Assert.Equal(Arity("rename"), h.Run("RENAME", "a"));
        Assert.Equal(Arity("renamenx"), h.Run("RENAMENX", "a", "b", "c"));
    }

    [Fact]
    public void Rename_onto_itself_changes_nothing()
    {
        h.Run("SET", "k", "v");
        h.Run("EXPIRE", "k", "100");
        Assert.Equal(Ok, h.Run("RENAME", "k", "k"));
        Assert.Equal(Int(0), h.Run("RENAMENX", "k", "k"));
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
        Assert.Equal(Int(100), h.Run("TTL", "k"));
    }

    [Fact]
    public void Rename_moves_the_value_and_its_ttl_and_replaces_the_destination()
    {
        h.Run("SET", "src", "12345");
        h.Run("EXPIRE", "src", "100");
        h.Run("SET", "dst", "old");
        h.Run("EXPIRE", "dst", "500");
        Assert.Equal(Ok, h.Run("RENAME", "src", "dst"));
        Assert.Equal(Int(0), h.Run("EXISTS", "src"));
        Assert.Equal(Bulk("12345"), h.Run("GET", "dst"));
        Assert.Equal(Int(100), h.Run("TTL", "dst"));
        Assert.Equal(Bulk("int"), h.Run("OBJECT", "ENCODING", "dst"));
        Assert.Equal(1, Db().Count);
        Assert.Equal(1, Db().VolatileCount);

        h.Run("SET", "plain", "p");
        Assert.Equal(Ok, h.Run("RENAME", "plain", "dst"));
        Assert.Equal(Int(-1), h.Run("TTL", "dst"));
        Assert.Equal(0, Db().VolatileCount);
    }

    [Fact]
    public void Renamenx_does_not_overwrite()
    {
        h.Run("SET", "a", "1");
        h.Run("SET", "b", "2");
        Assert.Equal(Int(0), h.Run("RENAMENX", "a", "b"));
        Assert.Equal(Bulk("1"), h.Run("GET", "a"));
        Assert.Equal(Bulk("2"), h.Run("GET", "b"));
        Assert.Equal(Int(1), h.Run("RENAMENX", "a", "c"));
        Assert.Equal(Int(0), h.Run("EXISTS", "a"));
        Assert.Equal(Bulk("1"), h.Run("GET", "c"));
        // An expired destination counts as missing.
        SetExpired("old");
        Assert.Equal(Int(1), h.Run("RENAMENX", "c", "old"));
        Assert.Equal(Bulk("1"), h.Run("GET", "old"));
        Assert.Equal(Int(-1), h.Run("TTL", "old"));
    }

    // ---- MOVE -----------------------------------------------------------------------------------------------

    [Fact]
    public void Move_errors()
    {
        Assert.Equal(Err("ERR value is not an integer or out of range"), h.Run("MOVE", "k", "x"));
        Assert.Equal(Err("ERR value is not an integer or out of range"), h.Run("MOVE", "k", "99999999999"));
        Assert.Equal(Err("ERR DB index is out of range"), h.Run("MOVE", "k", "16"));
        Assert.Equal(Err("ERR DB index is out of range"), h.Run("MOVE", "k", "-1"));
        Assert.Equal(Err("ERR source and destination objects are the same"), h.Run("MOVE", "k", "0"));
        h.Db = 5;
        Assert.Equal(Err("ERR source and destination objects are the same"), h.Run("MOVE", "k", "5"));
        Assert.Equal(Arity("move"), h.Run("MOVE", "k"));
    }

    [Fact]
    public void Move_moves_a_key_with_its_ttl_unless_the_target_has_it()
    {
        Assert.Equal(Int(0), h.Run("MOVE", "nokey", "1"));
        h.Run("SET", "k", "v");
        h.Run("EXPIRE", "k", "100");
        Assert.Equal(Int(1), h.Run("MOVE", "k", "3"));
        Assert.Equal(Int(0), h.Run("EXISTS", "k"));
        Assert.Equal(0, Db().VolatileCount);
        h.Db = 3;
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
        Assert.Equal(Int(100), h.Run("TTL", "k"));
        Assert.Equal(1, Db(3).VolatileCount);

        h.Run("SET", "k2", "three");
        h.Db = 0;
        h.Run("SET", "k2", "zero");
        Assert.Equal(Int(0), h.Run("MOVE", "k2", "3"));
        Assert.Equal(Bulk("zero"), h.Run("GET", "k2"));
        h.Db = 3;
        Assert.Equal(Bulk("three"), h.Run("GET", "k2"));
    }

    [Fact]
    public void Move_onto_an_expired_key_succeeds()
    {
        SetExpired("k", db: 1);
        h.Run("SET", "k", "v");
        Assert.Equal(Int(1), h.Run("MOVE", "k", "1"));
        h.Db = 1;
        Assert.Equal(Bulk("v"), h.Run("GET", "k"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
    }

    // ---- COPY -----------------------------------------------------------------------------------------------

    [Fact]
    public void Copy_errors_in_redis_order()
    {
        Assert.Equal(Err("ERR source and destination objects are the same"), h.Run("COPY", "k", "k"));
        Assert.Equal(Err("ERR source and destination objects are the same"), h.Run("COPY", "k", "k", "DB", "0"));
        Assert.Equal(Err("ERR syntax error"), h.Run("COPY", "k", "k2", "DB"));
        Assert.Equal(Err("ERR syntax error"), h.Run("COPY", "k", "k2", "foo"));
        Assert.Equal(Err("ERR syntax error"), h.Run("COPY", "k", "k2", "foo", "DB", "16"));
        Assert.Equal(Err("ERR value is not an integer or out of range"), h.Run("COPY", "k", "k2", "DB", "x"));
        Assert.Equal(Err("ERR DB index is out of range"), h.Run("COPY", "k", "k2", "DB", "16"));
        Assert.Equal(Err("ERR DB index is out of range"), h.Run("COPY", "k", "k2", "DB", "16", "foo"));
        Assert.Equal(Err("ERR DB index is out of range"), h.Run("COPY", "k", "k2", "db", "-1"));
        Assert.Equal(Arity("copy"), h.Run("COPY", "k"));
        Assert.Equal(Int(0), h.Run("COPY", "nokey", "k2"));
        Assert.Equal(Int(0), h.Run("COPY", "nokey", "k2", "REPLACE", "replace", "DB", "3"));
    }

    [Fact]
    public void Copy_duplicates_value_encoding_and_ttl()
    {
        h.Run("SET", "n", "42");
        h.Run("EXPIRE", "n", "100");
        Assert.Equal(Int(1), h.Run("COPY", "n", "m"));
        Assert.Equal(Bulk("42"), h.Run("GET", "m"));
        Assert.Equal(Bulk("int"), h.Run("OBJECT", "ENCODING", "m"));
        Assert.Equal(Int(100), h.Run("TTL", "m"));
        Assert.Equal(2, Db().VolatileCount);
        // The copy shares nothing with the original.
        Db().OverwriteInt(Obj("m"), 9);
        Assert.Equal(Bulk("42"), h.Run("GET", "n"));
    }

    [Fact]
    public void Copy_into_the_same_key_of_another_db_and_replace()
    {
        h.Run("SET", "k", "v");
        Assert.Equal(Int(1), h.Run("COPY", "k", "k", "DB", "1"));
        Assert.Equal(Int(0), h.Run("COPY", "k", "k", "DB", "1"));
        h.Run("SET", "k", "new");
        h.Db = 1;
        h.Run("EXPIRE", "k", "100");
        h.Db = 0;
        Assert.Equal(Int(1), h.Run("COPY", "k", "k", "DB", "1", "REPLACE"));
        h.Db = 1;
        Assert.Equal(Bulk("new"), h.Run("GET", "k"));
        Assert.Equal(Int(-1), h.Run("TTL", "k"));
        Assert.Equal(0, Db(1).VolatileCount);
        // From db 1 back into db 0 under another name.
        Assert.Equal(Int(1), h.Run("COPY", "k", "other", "db", "0"));
        h.Db = 0;
        Assert.Equal(Bulk("new"), h.Run("GET", "other"));
    }

    [Fact]
    public void Copy_without_replace_keeps_an_existing_destination()
    {
        h.Run("SET", "a", "1");
        h.Run("SET", "b", "2");
        Assert.Equal(Int(0), h.Run("COPY", "a", "b"));
        Assert.Equal(Bulk("2"), h.Run("GET", "b"));
        Assert.Equal(Int(1), h.Run("COPY", "a", "b", "REPLACE"));
        Assert.Equal(Bulk("1"), h.Run("GET", "b"));
        SetExpired("old");
        Assert.Equal(Int(1), h.Run("COPY", "a", "old"));
        Assert.Equal(Int(0), h.Run("COPY", "old2", "a"));
    }

    private sealed class CopyableValue(int generation) : IDeepCopyable
    {
        public int Generation { get; } = generation;
        public object DeepCopy() => new CopyableValue(Generation + 1);
    }

    [Fact]
    public void Copy_duplicates_collections_through_IDeepCopyable()
    {
        Put("h", RedisType.Hash, ObjectEncoding.ListPack, new CopyableValue(0));
        Assert.Equal(Int(1), h.Run("COPY", "h", "h2"));
        var copy = Obj("h2");
        Assert.Equal(RedisType.Hash, copy.Type);
        Assert.Equal(ObjectEncoding.ListPack, copy.Encoding);
        Assert.Equal(1, ((CopyableValue)copy.Value).Generation);
        Put("odd", RedisType.List, ObjectEncoding.QuickList, new object());
        Assert.Equal(Err("ERR unknown type object"), h.Run("COPY", "odd", "odd2"));
        Assert.Equal(Int(0), h.Run("EXISTS", "odd2"));
    }

    // ---- OBJECT ---------------------------------------------------------------------------------------------

    [Fact]
    public void Object_help_is_redis_text()
    {
        const string expected =
            "*15\r\n" +
            "+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n" +
            "+ENCODING <key>\r\n" +
            "+    Return the kind of internal representation used in order to store the value\r\n" +
            "+    associated with a <key>.\r\n" +
            "+FREQ <key>\r\n" +
            "+    Return the access frequency index of the <key>. The returned integer is\r\n" +
            "+    proportional to the logarithm of the recent access frequency of the key.\r\n" +
            "+IDLETIME <key>\r\n" +
            "+    Return the idle time of the <key>, that is the approximated number of\r\n" +
            "+    seconds elapsed since the last access to the key.\r\n" +
            "+REFCOUNT <key>\r\n" +
            "+    Return the number of references of the value associated with the specified\r\n" +
            "+    <key>.\r\n" +
            "+HELP\r\n" +
            "+    Prints this help.\r\n";
        Assert.Equal(expected, h.Run("OBJECT", "HELP"));
        Assert.Equal(expected, h.Run("object", "help"));
        Assert.Equal(expected, new HandlerHarness(protocol: 3).Run("OBJECT", "help"));
    }

    [Fact]
    public void Object_dispatch_errors()
    {
        Assert.Equal(Arity("object"), h.Run("OBJECT"));
        Assert.Equal(Arity("object|encoding"), h.Run("OBJECT", "encoding"));
        Assert.Equal(Arity("object|encoding"), h.Run("OBJECT", "ENCODING", "k", "x"));
        Assert.Equal(Arity("object|refcount"), h.Run("OBJECT", "refcount"));
        Assert.Equal(Arity("object|idletime"), h.Run("OBJECT", "idletime", "a", "b"));
        Assert.Equal(Arity("object|freq"), h.Run("OBJECT", "FREQ"));
        Assert.Equal(Arity("object|help"), h.Run("OBJECT", "help", "x"));
        Assert.Equal(Err("ERR unknown subcommand 'foo'. Try OBJECT HELP."), h.Run("OBJECT", "foo"));
        Assert.Equal(Err("ERR unknown subcommand 'foo'. Try OBJECT HELP."), h.Run("object", "foo", "k"));
    }

    [Fact]
    public void Object_encoding_of_strings()
    {
        h.Run("SET", "i", "12345");
        h.Run("SET", "e", "hello");
        h.Run("SET", "r", new string('x', 45));
        h.Run("SET", "e44", new string('x', 44));
        Assert.Equal(Bulk("int"), h.Run("OBJECT", "ENCODING", "i"));
        Assert.Equal(Bulk("embstr"), h.Run("OBJECT", "encoding", "e"));
        Assert.Equal(Bulk("embstr"), h.Run("OBJECT", "encoding", "e44"));
        Assert.Equal(Bulk("raw"), h.Run("OBJECT", "encoding", "r"));
        Put("z", RedisType.ZSet, ObjectEncoding.SkipList, new object());
        Assert.Equal(Bulk("skiplist"), h.Run("OBJECT", "encoding", "z"));
    }

    [Fact]
    public void Object_on_a_missing_key_is_a_null()
    {
        foreach (var sub in new[] { "ENCODING", "REFCOUNT", "IDLETIME", "FREQ" })
        {
            Assert.Equal(Null2, h.Run("OBJECT", sub, "nokey"));
            Assert.Equal("_\r\n", new HandlerHarness(protocol: 3).Run("OBJECT", sub, "nokey"));
        }
        SetExpired("old");
        Assert.Equal(Null2, h.Run("OBJECT", "ENCODING", "old"));
    }

    [Fact]
    public void Object_refcount_reports_shared_integers()
    {
        h.Run("SET", "k", "v");
        Assert.Equal(Int(1), h.Run("OBJECT", "REFCOUNT", "k"));
        foreach (var shared in new[] { "0", "100", "9999" })
        {
            h.Run("SET", "n", shared);
            Assert.Equal(Int(2147483647), h.Run("OBJECT", "REFCOUNT", "n"));
        }
        foreach (var own in new[] { "10000", "-1", "123456789" })
        {
            h.Run("SET", "n", own);
            Assert.Equal(Int(1), h.Run("OBJECT", "REFCOUNT", "n"));
        }
    }

    [Fact]
    public void Object_idletime_counts_whole_seconds_and_does_not_touch()
    {
        h.Run("SET", "k", "v");
        Assert.Equal(Int(0), h.Run("OBJECT", "IDLETIME", "k"));
        Database.Touch(Obj("k"), ServerContext.UnixMs() - 10_000);
        var before = Obj("k").Lru;
        Assert.Equal(Int(10), h.Run("OBJECT", "IDLETIME", "k"));
        Assert.Equal(before, Obj("k").Lru);
        h.Run("GET", "k");
        Assert.Equal(Int(0), h.Run("OBJECT", "IDLETIME", "k"));
    }

    [Fact]
    public void Object_freq_needs_an_lfu_policy()
    {
        h.Run("SET", "k", "v");
        Assert.Equal(
            Err("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust."),
            h.Run("OBJECT", "FREQ", "k"));
    }

    // ---- KEYS / SCAN / RANDOMKEY / DBSIZE on one shard ----------------------------------------------------------

    private static string[] ParseBulkArray(string resp, ref int pos)
    {
        Assert.Equal('*', resp[pos]);
        var end = resp.IndexOf("\r\n", pos, StringComparison.Ordinal);
        var n = int.Parse(resp[(pos + 1)..end]);
        pos = end + 2;
        var items = new string[n];
        for (var i = 0; i < n; i++)
        {
            Assert.Equal('$', resp[pos]);
            end = resp.IndexOf("\r\n", pos, StringComparison.Ordinal);
            var len = int.Parse(resp[(pos + 1)..end]);
            items[i] = resp.Substring(end + 2, len);
            pos = end + 2 + len + 2;
        }
        return items;
    }

    internal static string[] Keys(string resp)
    {
        var pos = 0;
        var keys = ParseBulkArray(resp, ref pos);
        Assert.Equal(resp.Length, pos);
        Array.Sort(keys, StringComparer.Ordinal);
        return keys;
    }

    /// <summary>Splits a SCAN reply into its cursor and keys.</summary>
    internal static (string Cursor, string[] Keys) ScanReply(string resp)
    {
        Assert.StartsWith("*2\r\n$", resp);
        var pos = 4;
        var end = resp.IndexOf("\r\n", pos, StringComparison.Ordinal);
        var len = int.Parse(resp[(pos + 1)..end]);
        var cursor = resp.Substring(end + 2, len);
        pos = end + 2 + len + 2;
        var keys = ParseBulkArray(resp, ref pos);
        Assert.Equal(resp.Length, pos);
        return (cursor, keys);
    }

    [Fact]
    public void Keys_matches_glob_patterns()
    {
        foreach (var k in new[] { "hello", "hallo", "hxllo", "hllo", "heeeello", "foo", "" })
            h.Run("SET", k, "1");
        Assert.Equal(new[] { "", "foo", "hallo", "heeeello", "hello", "hllo", "hxllo" }, Keys(h.Run("KEYS", "*")));
        Assert.Equal(new[] { "hallo", "hello", "hxllo" }, Keys(h.Run("KEYS", "h?llo")));
        Assert.Equal(new[] { "hallo", "heeeello", "hello", "hllo", "hxllo" }, Keys(h.Run("KEYS", "h*llo")));
        Assert.Equal(new[] { "hallo", "hello" }, Keys(h.Run("KEYS", "h[ae]llo")));
        Assert.Equal(new[] { "hxllo" }, Keys(h.Run("KEYS", "h[^ae]llo")));
        Assert.Equal(new[] { "" }, Keys(h.Run("KEYS", "")));
        Assert.Equal("*0\r\n", h.Run("KEYS", "**x"));
        // "**" is not the "*" shortcut: like Redis it does not match the empty key.
        Assert.DoesNotContain("", Keys(h.Run("KEYS", "**")));
        Assert.Equal("*1\r\n$3\r\nfoo\r\n", h.Run("KEYS", "foo"));
        Assert.Equal(Arity("keys"), h.Run("KEYS"));
        Assert.Equal(Arity("keys"), h.Run("KEYS", "a", "b"));
    }

    [Fact]
    public void Keys_skips_expired_keys_without_deleting_them()
    {
        h.Run("SET", "live", "1");
        SetExpired("dead");
        Assert.Equal("*1\r\n$4\r\nlive\r\n", h.Run("KEYS", "*"));
        Assert.Equal(2, Db().Count);
        Assert.Equal(Int(2), h.Run("DBSIZE"));
    }

    [Fact]
    public void Keys_only_sees_the_selected_db()
    {
        h.Run("SET", "zero", "1");
        h.Db = 7;
        h.Run("SET", "seven", "1");
        Assert.Equal("*1\r\n$5\r\nseven\r\n", h.Run("KEYS", "*"));
        Assert.Equal(Int(1), h.Run("DBSIZE"));
    }

    [Fact]
    public void Scan_argument_errors()
    {
        Assert.Equal(Err("ERR invalid cursor"), h.Run("SCAN", "abc"));
        Assert.Equal(Err("ERR invalid cursor"), h.Run("SCAN", "0x"));
        Assert.Equal(Err("ERR invalid cursor"), h.Run("SCAN", " 1"));
        Assert.Equal(Err("ERR invalid cursor"), h.Run("SCAN", "1 "));
        Assert.Equal(Err("ERR invalid cursor"), h.Run("SCAN", "-"));
        Assert.Equal(Err("ERR invalid cursor"), h.Run("SCAN", "18446744073709551616"));
        Assert.Equal(Err("ERR invalid cursor"), h.Run("SCAN", "abc", "COUNT", "0"));
        Assert.Equal(Err("ERR syntax error"), h.Run("SCAN", "0", "COUNT", "0"));
        Assert.Equal(Err("ERR syntax error"), h.Run("SCAN", "0", "COUNT", "-1"));
        Assert.Equal(Err("ERR value is not an integer or out of range"), h.Run("SCAN", "0", "COUNT", "abc"));
        Assert.Equal(Err("ERR value is not an integer or out of range"), h.Run("SCAN", "0", "COUNT", "1000000000000000000000"));
        Assert.Equal(Err("ERR syntax error"), h.Run("SCAN", "0", "COUNT"));
        Assert.Equal(Err("ERR syntax error"), h.Run("SCAN", "0", "MATCH"));
        Assert.Equal(Err("ERR syntax error"), h.Run("SCAN", "0", "TYPE"));
        Assert.Equal(Err("ERR syntax error"), h.Run("SCAN", "0", "foo"));
        Assert.Equal(Err("ERR syntax error"), h.Run("SCAN", "0", "MATCH", "*", "COUNT", "1", "x"));
        Assert.Equal(Arity("scan"), h.Run("SCAN"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("00")]
    [InlineData("+0")]
    [InlineData("-0")]
    public void Scan_cursor_zero_spellings(string cursor)
    {
        h.Run("SET", "k", "v");
        Assert.Equal("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nk\r\n", h.Run("SCAN", cursor));
    }

    [Fact]
    public void Scan_cursor_is_parsed_like_strtoul()
    {
        Assert.True(KeyCommands.TryParseCursor(B("18446744073709551615"), out var max));
        Assert.Equal(ulong.MaxValue, max);
        Assert.True(KeyCommands.TryParseCursor(B("-1"), out var minusOne));
        Assert.Equal(ulong.MaxValue, minusOne);
        Assert.True(KeyCommands.TryParseCursor(B("+5"), out var five));
        Assert.Equal(5UL, five);
        Assert.True(KeyCommands.TryParseCursor([(byte)'1', 0, (byte)'x'], out var one));
        Assert.Equal(1UL, one);
        Assert.False(KeyCommands.TryParseCursor(B("+-1"), out _));
        Assert.False(KeyCommands.TryParseCursor(B("\t1"), out _));
    }

    [Fact]
    public void Scan_of_an_empty_db_ends_at_once()
    {
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("SCAN", "0"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", h.Run("SCAN", "12345", "COUNT", "3"));
        Assert.Equal("*2\r\n$1\r\n0\r\n*0\r\n", new HandlerHarness(protocol: 3).Run("SCAN", "0"));
    }

    private HashSet<string> FullScan(params string[] options)
    {
        var seen = new HashSet<string>();
        var cursor = "0";
        var calls = 0;
        do
        {
            var args = new List<string> { "SCAN", cursor };
            args.AddRange(options);
            var (next, keys) = ScanReply(h.Run(args.ToArray()));
            foreach (var k in keys) seen.Add(k);
            cursor = next;
            Assert.True(++calls < 100_000);
        } while (cursor != "0");
        return seen;
    }

    [Fact]
    public void Scan_visits_every_key_and_honours_match_and_type()
    {
        for (var i = 0; i < 500; i++) h.Run("SET", "key:" + i, "v");
        for (var i = 0; i < 20; i++) Put("list:" + i, RedisType.List, ObjectEncoding.QuickList, new object());
        Assert.Equal(520, FullScan().Count);
        Assert.Equal(520, FullScan("COUNT", "1").Count);
        Assert.Equal(520, FullScan("COUNT", "1000").Count);
        var matched = FullScan("MATCH", "key:1*");
        Assert.Equal(111, matched.Count);
        Assert.All(matched, k => Assert.StartsWith("key:1", k));
        var lists = FullScan("TYPE", "LIST", "count", "7");
        Assert.Equal(20, lists.Count);
        Assert.Equal(20, FullScan("TYPE", "list", "MATCH", "list:*").Count);
        Assert.Empty(FullScan("TYPE", "list", "MATCH", "key:*"));
        Assert.Empty(FullScan("TYPE", "hash"));
        Assert.Empty(FullScan("TYPE", "nonsense"));
        // MATCH, COUNT and TYPE may repeat; the last one wins.
        Assert.Equal(20, FullScan("MATCH", "key:*", "MATCH", "list:*").Count);
    }

    [Fact]
    public void Scan_returns_at_least_count_keys_while_the_table_has_them()
    {
        for (var i = 0; i < 1000; i++) h.Run("SET", "key:" + i, "v");
        var (cursor, keys) = ScanReply(h.Run("SCAN", "0", "COUNT", "50"));
        Assert.NotEqual("0", cursor);
        Assert.True(keys.Length >= 50);
        // A single call with a huge COUNT walks the whole table.
        (cursor, keys) = ScanReply(h.Run("SCAN", "0", "COUNT", "9223372036854775807"));
        Assert.Equal("0", cursor);
        Assert.Equal(1000, keys.Length);
    }

    [Fact]
    public void Scan_drops_and_deletes_expired_keys()
    {
        h.Run("SET", "live", "1");
        SetExpired("dead");
        var expired = h.Shard.Stats.ExpiredKeys;
        Assert.Equal("*2\r\n$1\r\n0\r\n*1\r\n$4\r\nlive\r\n", h.Run("SCAN", "0"));
        Assert.Equal(1, Db().Count);
        Assert.Equal(expired + 1, h.Shard.Stats.ExpiredKeys);
    }

    [Fact]
    public void Scan_type_none_returns_keys_that_expired_under_the_type_probe()
    {
        // Redis quirk: the TYPE probe deletes the expired key and sees "none", then the expiry check finds no key.
        h.Run("SET", "live", "1");
        SetExpired("dead");
        var misses = h.Shard.Stats.KeyspaceMisses;
        var hits = h.Shard.Stats.KeyspaceHits;
        Assert.Equal("*2\r\n$1\r\n0\r\n*1\r\n$4\r\ndead\r\n", h.Run("SCAN", "0", "TYPE", "none"));
        Assert.Equal(misses + 1, h.Shard.Stats.KeyspaceMisses);
        Assert.Equal(hits + 1, h.Shard.Stats.KeyspaceHits);
        Assert.Equal(1, Db().Count);
        Assert.Equal("*2\r\n$1\r\n0\r\n*1\r\n$4\r\nlive\r\n", h.Run("SCAN", "0", "TYPE", "String"));
    }

    [Fact]
    public void Scan_from_an_out_of_range_cursor_finishes()
    {
        h.Run("SET", "k", "v");
        var (cursor, _) = ScanReply(h.Run("SCAN", "18446744073709551615"));
        Assert.Equal("0", cursor);
    }

    [Fact]
    public void Randomkey_returns_null_or_a_live_key()
    {
        Assert.Equal(Null2, h.Run("RANDOMKEY"));
        Assert.Equal("_\r\n", new HandlerHarness(protocol: 3).Run("RANDOMKEY"));
        h.Run("SET", "only", "v");
        Assert.Equal(Bulk("only"), h.Run("RANDOMKEY"));
        Assert.Equal(Arity("randomkey"), h.Run("RANDOMKEY", "x"));
    }

    [Fact]
    public void Randomkey_deletes_expired_picks_and_never_returns_them()
    {
        for (var i = 0; i < 300; i++) SetExpired("dead:" + i);
        h.Run("SET", "live", "v");
        Assert.Equal(Bulk("live"), h.Run("RANDOMKEY"));
        for (var i = 0; i < 20; i++) Assert.Equal(Bulk("live"), h.Run("RANDOMKEY"));
        h.Run("DEL", "live");
        // Only expired keys are left: RANDOMKEY clears them all and answers null.
        for (var i = 0; i < 300; i += 3) SetExpired("dead:" + i);
        Assert.Equal(Null2, h.Run("RANDOMKEY"));
        Assert.Equal(0, Db().Count);
    }

    [Fact]
    public void Dbsize_counts_the_selected_db_including_keys_not_yet_expired_lazily()
    {
        Assert.Equal(Int(0), h.Run("DBSIZE"));
        h.Run("SET", "a", "1");
        h.Run("SET", "b", "1");
        SetExpired("c");
        Assert.Equal(Int(3), h.Run("DBSIZE"));
        h.Db = 1;
        Assert.Equal(Int(0), h.Run("DBSIZE"));
        Assert.Equal(Arity("dbsize"), h.Run("DBSIZE", "x"));
    }

    // ---- FLUSHDB / FLUSHALL / SWAPDB --------------------------------------------------------------------------

    [Theory]
    [InlineData]
    [InlineData("ASYNC")]
    [InlineData("sync")]
    public void Flushdb_clears_only_the_selected_db(params string[] options)
    {
        h.Run("SET", "a", "1");
        h.Run("EXPIRE", "a", "100");
        h.Db = 2;
        h.Run("SET", "b", "1");
        var args = new List<string> { "FLUSHDB" };
        args.AddRange(options);
        Assert.Equal(Ok, h.Run(args.ToArray()));
        Assert.Equal(Int(0), h.Run("DBSIZE"));
        h.Db = 0;
        Assert.Equal(Int(1), h.Run("DBSIZE"));
    }

    [Theory]
    [InlineData]
    [InlineData("async")]
    [InlineData("SYNC")]
    public void Flushall_clears_every_db(params string[] options)
    {
        h.Run("SET", "a", "1");
        h.Run("EXPIRE", "a", "100");
        h.Db = 15;
        h.Run("SET", "b", "1");
        var args = new List<string> { "FLUSHALL" };
        args.AddRange(options);
        Assert.Equal(Ok, h.Run(args.ToArray()));
        Assert.All(h.Shard.Databases, db => Assert.Equal(0, db.Count));
        Assert.All(h.Shard.Databases, db => Assert.Equal(0, db.VolatileCount));
    }

    [Theory]
    [InlineData("FLUSHDB")]
    [InlineData("FLUSHALL")]
    public void Flush_option_errors(string command)
    {
        h.Run("SET", "a", "1");
        Assert.Equal(Err("ERR syntax error"), h.Run(command, "x"));
        Assert.Equal(Err("ERR syntax error"), h.Run(command, "sync", "x"));
        Assert.Equal(Err("ERR syntax error"), h.Run(command, "async", "async"));
        Assert.Equal(Int(1), h.Run("DBSIZE"));
    }

    [Fact]
    public void Swapdb_errors()
    {
        Assert.Equal(Err("ERR invalid first DB index"), h.Run("SWAPDB", "a", "b"));
        Assert.Equal(Err("ERR invalid first DB index"), h.Run("SWAPDB", "99999999999", "0"));
        Assert.Equal(Err("ERR invalid second DB index"), h.Run("SWAPDB", "0", "b"));
        Assert.Equal(Err("ERR invalid second DB index"), h.Run("SWAPDB", "0", "1.0"));
        Assert.Equal(Err("ERR DB index is out of range"), h.Run("SWAPDB", "0", "16"));
        Assert.Equal(Err("ERR DB index is out of range"), h.Run("SWAPDB", "-1", "0"));
        Assert.Equal(Arity("swapdb"), h.Run("SWAPDB", "0"));
    }

    [Fact]
    public void Swapdb_exchanges_contents_with_their_ttls()
    {
        h.Run("SET", "in0", "zero");
        h.Run("EXPIRE", "in0", "100");
        h.Db = 1;
        h.Run("SET", "in1", "one");
        Assert.Equal(Ok, h.Run("SWAPDB", "0", "1"));
        Assert.Equal(Bulk("zero"), h.Run("GET", "in0"));
        Assert.Equal(Int(100), h.Run("TTL", "in0"));
        Assert.Equal(Int(0), h.Run("EXISTS", "in1"));
        h.Db = 0;
        Assert.Equal(Bulk("one"), h.Run("GET", "in1"));
        Assert.Equal(Ok, h.Run("SWAPDB", "0", "0"));
        Assert.Equal(Bulk("one"), h.Run("GET", "in1"));
        Assert.Equal(0, h.Shard.Databases[0].Index);
        Assert.Equal(1, h.Shard.Databases[1].Index);
    }
}
