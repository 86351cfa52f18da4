using System.Buffers.Binary;
using System.Text;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Actors.Storage.Rdb;

namespace AkkaRedis.Tests.Unit.Storage.Rdb;

/// <summary>Whole RDB files (rdbSaveRio / rdbLoad): bytes against files saved by redis-server 7.0.15, round trips through
/// every opcode, checksums, version refusal, and corrupt or truncated input that must fail cleanly.</summary>
public sealed class RdbFileTests
{
    private const long Now = 1_800_000_000_000;

    /// <summary>A keyspace of one part per database, as the loader sees a held keyspace.</summary>
    private sealed class Target(int databases = 16) : IRdbLoadTarget
    {
        public readonly Database[] Dbs = Enumerable.Range(0, databases).Select(i => new Database(i)).ToArray();
        public int Databases => Dbs.Length;
        public Database For(int db, ReadOnlySpan<byte> key) => Dbs[db];
    }

    private static RdbLoadOptions Options(bool checksum = true, bool replace = false) => new() { Now = Now, VerifyChecksum = checksum, Replace = replace };

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>`SAVE` of an empty redis-server 7.0.15 (ctime and used-mem as that server wrote them).</summary>
    private const string RedisEmpty =
        "524544495330303130fa0972656469732d76657206372e302e3135fa0a72656469732d62697473c040fa056374696d65c22af3156b" +
        "fa08757365642d6d656dc268f40d00fa08616f662d62617365c000ff4fb61199e24ba1b6";

    /// <summary>The same server after `SET a 1` and `SET b hello PX 100000`.</summary>
    private const string RedisTwoKeys =
        "524544495330303130fa0972656469732d76657206372e302e3135fa0a72656469732d62697473c040fa056374696d65c22af3156b" +
        "fa08757365642d6d656dc2e8b60e00fa08616f662d62617365c000fe00fb0201000161c001fc5465bf4da201000000016205" +
        "68656c6c6fffaf598ed3b0a98d7c";

    private static RdbAux RedisAux(long usedMem) => new() { CTime = 0x6b15f32a, UsedMem = usedMem };

    private static byte[] Save(RdbAux aux, Target source, bool checksum = true, IReadOnlyList<byte[]>? functions = null)
    {
        using var memory = new MemoryStream();
        RdbFile.WriteDatabases(memory, aux, source.Databases, db => [source.Dbs[db]], new RdbSaveOptions(true, Now, false, false), checksum, functions);
        return memory.ToArray();
    }

    [Fact]
    public void Empty_file_is_byte_for_byte_redis_servers()
    {
        Assert.Equal(RedisEmpty, Hex(RdbFile.Empty(RedisAux(0x0df468))));
        Assert.Equal(RedisEmpty, Hex(Save(RedisAux(0x0df468), new Target())));
    }

    [Fact]
    public void Keys_with_an_expiry_are_byte_for_byte_redis_servers()
    {
        var source = new Target();
        source.Dbs[0].SetString("a"u8, "1"u8, Now);
        var b = source.Dbs[0].SetString("b"u8, "hello"u8, Now);
        source.Dbs[0].SetExpire(b, 0x000001a24dbf6554);
        // Our table walks keys in insertion order here, as redis-server's dict happened to.
        Assert.Equal(RedisTwoKeys, Hex(Save(RedisAux(0x0eb6e8), source)));
    }

    [Fact]
    public void Loads_redis_servers_file()
    {
        var target = new Target();
        var result = RdbFileReader.Load(Convert.FromHexString(RedisTwoKeys), target, Options() with { Now = 0x000001a24dbf6554 - 1000 });
        Assert.Equal(10, result.Version);
        Assert.Equal(2, result.KeysLoaded);
        Assert.Equal("7.0.15", result.Aux["redis-ver"]);
        Assert.Equal("64", result.Aux["redis-bits"]);
        Assert.Equal("0", result.Aux["aof-base"]);
        var a = target.Dbs[0].Find("a"u8, 0);
        Assert.True(a.IsInt);
        Assert.Equal(1, a.IntValue);
        var b = target.Dbs[0].Find("b"u8, 0);
        Assert.Equal("hello", Encoding.ASCII.GetString(b.RawBytes));
        Assert.Equal(0x000001a24dbf6554, b.ExpireAt);
        Assert.Equal(RedisTwoKeys.Length / 2, result.Length);
    }

    [Fact]
    public void Expired_keys_are_skipped_and_counted()
    {
        var target = new Target();
        var result = RdbFileReader.Load(Convert.FromHexString(RedisTwoKeys), target, Options() with { Now = 0x000001a24dbf6554 + 1 });
        Assert.Equal(1, result.KeysLoaded);
        Assert.Equal(1, result.KeysExpired);
        Assert.False(target.Dbs[0].Find("b"u8, 0).Exists);
        // The preamble of an AOF keeps them (the AOF after it may still touch them).
        var preamble = new Target();
        Assert.Equal(2, RdbFileReader.Load(Convert.FromHexString(RedisTwoKeys), preamble, Options() with { Now = long.MaxValue, AofPreamble = true }).KeysLoaded);
    }

    private static Target Sample()
    {
        var source = new Target();
        for (var db = 0; db < 16; db += 5)
        for (var i = 0; i < 300; i++)
        {
            var key = Encoding.ASCII.GetBytes($"key:{db}:{i}");
            var entry = i % 3 == 0
                ? source.Dbs[db].SetString(key, Encoding.ASCII.GetBytes(new string('v', i)), Now)
                : source.Dbs[db].SetInt(key, i * 1000L - 7, Now);
            if (i % 4 == 0) source.Dbs[db].SetExpire(entry, Now + i + 1);
        }
        return source;
    }

    private static void AssertSame(Target expected, Target actual)
    {
        Span<byte> s1 = stackalloc byte[24];
        Span<byte> s2 = stackalloc byte[24];
        for (var db = 0; db < expected.Databases; db++)
        {
            Assert.Equal(expected.Dbs[db].Count, actual.Dbs[db].Count);
            Assert.Equal(expected.Dbs[db].VolatileCount, actual.Dbs[db].VolatileCount);
            foreach (var e in expected.Dbs[db].AllKeys())
            {
                var a = actual.Dbs[db].Find(e.Key, Now);
                Assert.True(a.Exists, Encoding.ASCII.GetString(e.Key));
                Assert.Equal(e.IsInt, a.IsInt);
                Assert.True(e.StringBytes(s1).SequenceEqual(a.StringBytes(s2)));
                Assert.Equal(e.ExpireAt, a.ExpireAt);
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Round_trip_of_several_databases_with_expiries(bool checksum)
    {
        var source = Sample();
        var bytes = Save(new RdbAux(), source, checksum);
        var trailer = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8));
        if (checksum) Assert.Equal(Crc64.Compute(0, bytes.AsSpan(0, bytes.Length - 8)), trailer);
        else Assert.Equal(0UL, trailer);
        var target = new Target();
        var result = RdbFileReader.Load(bytes, target, Options());
        Assert.Equal(4 * 300, result.KeysLoaded);
        AssertSame(source, target);
    }

    [Fact]
    public void Parts_from_several_shards_merge_under_one_selectdb()
    {
        // Two "shards" of database 3, each one chunk of records: one SELECTDB, RESIZEDB with the sums.
        var shardA = new Database(3);
        var shardB = new Database(3);
        shardA.SetString("x"u8, "1"u8, Now);
        var y = shardB.SetString("y"u8, "two"u8, Now);
        shardB.SetExpire(y, Now + 10_000);
        var parts = new List<RdbDbPart>();
        foreach (var shard in new[] { shardA, shardB })
        {
            var w = new RdbWriter();
            foreach (var entry in shard.AllKeys()) RdbValues.WriteKeyRecord(w, entry, new RdbSaveOptions(true, Now, false, false));
            parts.Add(new RdbDbPart(3, shard.Count, shard.VolatileCount, [w.WrittenMemory.ToArray()]));
        }
        using var memory = new MemoryStream();
        RdbFile.Write(memory, new RdbAux(), parts, checksum: true);
        var bytes = memory.ToArray();
        Assert.Equal(1, CountSequence(bytes, [RdbFormat.OpSelectDb, 3, RdbFormat.OpResizeDb, 2, 1]));
        var target = new Target();
        RdbFileReader.Load(bytes, target, Options());
        Assert.Equal(2, target.Dbs[3].Count);
        Assert.Equal(Now + 10_000, target.Dbs[3].Find("y"u8, Now).ExpireAt);
    }

    private static int CountSequence(byte[] bytes, byte[] sequence)
    {
        var count = 0;
        for (var i = 0; i + sequence.Length <= bytes.Length; i++)
            if (bytes.AsSpan(i, sequence.Length).SequenceEqual(sequence)) count++;
        return count;
    }

    [Fact]
    public void Functions_are_kept_and_written_back()
    {
        byte[] library = "#!lua name=mylib\nredis.register_function('f', function() return 1 end)"u8.ToArray();
        var bytes = Save(new RdbAux(), new Target(), functions: [library]);
        var result = RdbFileReader.Load(bytes, new Target(), Options());
        Assert.Single(result.Functions);
        Assert.Equal(library, result.Functions[0]);
    }

    [Fact]
    public void Idle_freq_and_seconds_expiry_opcodes_are_read()
    {
        var w = new RdbWriter();
        w.WriteBytes(RdbFile.Magic);
        w.WriteByte(RdbFormat.OpSelectDb);
        w.WriteLength(0);
        w.WriteByte(RdbFormat.OpIdle);
        w.WriteLength(3600);
        w.WriteByte(RdbFormat.TypeString);
        w.WriteString("k"u8, false);
        w.WriteString("v"u8, false);
        w.WriteByte(RdbFormat.OpFreq);
        w.WriteByte(5);
        w.WriteByte(RdbFormat.TypeString);
        w.WriteString("f"u8, false);
        w.WriteString("v"u8, false);
        // RDB_OPCODE_EXPIRETIME: seconds in 4 bytes, as versions before 3 wrote it.
        w.WriteByte(RdbFormat.OpExpireTime);
        Span<byte> seconds = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(seconds, (int)(Now / 1000) + 60);
        w.WriteBytes(seconds);
        w.WriteByte(RdbFormat.TypeString);
        w.WriteString("s"u8, false);
        w.WriteString("v"u8, false);
        var target = new Target();
        RdbFileReader.Load(Finish(w), target, Options());
        Assert.Equal(3600, target.Dbs[0].Find("k"u8, Now).IdleSeconds(Now));
        Assert.True(target.Dbs[0].Find("f"u8, Now).Exists);
        Assert.Equal((Now / 1000 + 60) * 1000, target.Dbs[0].Find("s"u8, Now).ExpireAt);
    }

    /// <summary>EOF and a correct checksum after what <paramref name="w"/> holds.</summary>
    private static byte[] Finish(RdbWriter w, bool checksum = true)
    {
        w.WriteByte(RdbFormat.OpEof);
        var crc = checksum ? Crc64.Compute(0, w.Written) : 0;
        Span<byte> tail = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(tail, crc);
        w.WriteBytes(tail);
        return w.Written.ToArray();
    }

    private static string LoadError(byte[] bytes, int databases = 16)
    {
        var e = Assert.Throws<RdbFormatException>(() => RdbFileReader.Load(bytes, new Target(databases), Options()));
        return e.Message;
    }

    [Fact]
    public void Newer_versions_and_bad_signatures_are_refused()
    {
        var eleven = Encoding.ASCII.GetBytes("REDIS0011").Concat(new byte[] { RdbFormat.OpEof, 0, 0, 0, 0, 0, 0, 0, 0 }).ToArray();
        Assert.Equal("Can't handle RDB format version 11", LoadError(eleven));
        Assert.Equal("Wrong signature trying to load DB from file", LoadError("RADIS0010\xff"u8.ToArray()));
        // An older version loads (its trailer is checked as from version 5).
        var nine = RdbFile.Empty(new RdbAux());
        nine[7] = (byte)'0';
        nine[8] = (byte)'9';
        BinaryPrimitives.WriteUInt64LittleEndian(nine.AsSpan(nine.Length - 8), Crc64.Compute(0, nine.AsSpan(0, nine.Length - 8)));
        Assert.Equal(9, RdbFileReader.Load(nine, new Target(), Options()).Version);
    }

    [Fact]
    public void Wrong_checksum_is_refused_unless_zero_or_unchecked()
    {
        var bytes = Save(new RdbAux(), Sample());
        bytes[^1] ^= 1;
        Assert.StartsWith("Wrong RDB checksum", LoadError(bytes));
        Assert.Equal(1200, RdbFileReader.Load(bytes, new Target(), Options(checksum: false)).KeysLoaded);
        var unchecked0 = Save(new RdbAux(), Sample(), checksum: false);
        Assert.Equal(1200, RdbFileReader.Load(unchecked0, new Target(), Options()).KeysLoaded);
    }

    [Fact]
    public void Module_aux_data_without_the_module_is_an_error()
    {
        var w = new RdbWriter();
        w.WriteBytes(RdbFile.Magic);
        w.WriteByte(RdbFormat.OpModuleAux);
        // "ReJSON-RL" packed as moduleTypeEncodeId does (9 characters of 6 bits, then a 10-bit version).
        const string charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        ulong id = 0;
        foreach (var ch in "ReJSON-RL") id = (id << 6) | (ulong)charset.IndexOf(ch);
        w.WriteLength((id << 10) | 3);
        Assert.Equal("The RDB file contains AUX module data I can't load: no matching module 'ReJSON-RL'", LoadError(Finish(w)));
    }

    [Fact]
    public void Selectdb_past_the_databases_and_duplicate_keys_are_errors()
    {
        var source = new Target();
        source.Dbs[15].SetString("k"u8, "v"u8, Now);
        Assert.StartsWith("FATAL: Data file was created with a Redis server configured to handle more than 8 databases",
            LoadError(Save(new RdbAux(), source), databases: 8));

        var w = new RdbWriter();
        w.WriteBytes(RdbFile.Magic);
        w.WriteByte(RdbFormat.OpSelectDb);
        w.WriteLength(0);
        for (var i = 0; i < 2; i++)
        {
            w.WriteByte(RdbFormat.TypeString);
            w.WriteString("dup"u8, false);
            w.WriteString(i == 0 ? "first"u8 : "second"u8, false);
        }
        var bytes = Finish(w);
        Assert.Equal("RDB has duplicated key 'dup' in DB 0", LoadError(bytes));
        var merged = new Target();
        RdbFileReader.Load(bytes, merged, Options(replace: true));
        Assert.Equal("second", Encoding.ASCII.GetString(merged.Dbs[0].Find("dup"u8, Now).RawBytes));
    }

    [Fact]
    public void Unknown_type_is_an_error()
    {
        var w = new RdbWriter();
        w.WriteBytes(RdbFile.Magic);
        w.WriteByte(100);
        Assert.Equal("Unknown RDB encoding type 100", LoadError(Finish(w)));
    }

    [Fact]
    public void Every_truncation_fails_cleanly()
    {
        var source = new Target();
        for (var db = 0; db < 16; db += 7)
        for (var i = 0; i < 5; i++)
        {
            var entry = source.Dbs[db].SetString(Encoding.ASCII.GetBytes($"k{db}:{i}"), Encoding.ASCII.GetBytes(new string('x', i * 30)), Now);
            if (i % 2 == 0) source.Dbs[db].SetExpire(entry, Now + 1000);
        }
        var bytes = Save(new RdbAux(), source, functions: ["#!lua name=l\n"u8.ToArray()]);
        // Every prefix of a small file: a format error, never another exception and never a silent partial load.
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            Assert.Throws<RdbFormatException>(() => RdbFileReader.Load(prefix, new Target(), Options()));
        }
    }

    [Fact]
    public void Save_writes_through_a_temp_file_and_leaves_the_old_file_on_failure()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rdb-unit-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            RdbFile.Save(dir, "dump.rdb", stream => stream.Write(RdbFile.Empty(new RdbAux())));
            var first = File.ReadAllBytes(Path.Combine(dir, "dump.rdb"));
            Assert.Throws<InvalidOperationException>(() => RdbFile.Save(dir, "dump.rdb", stream =>
            {
                stream.Write("REDIS"u8);
                throw new InvalidOperationException("disk full");
            }));
            Assert.Equal(first, File.ReadAllBytes(Path.Combine(dir, "dump.rdb")));
            Assert.Equal(["dump.rdb"], Directory.GetFiles(dir).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
