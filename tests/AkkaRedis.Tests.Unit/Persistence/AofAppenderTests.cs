using System.Text;
using Akka.Event;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Persistence;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Persistence;

/// <summary>What the appender writes (feedAppendOnlyFile's format) and how it fails (flushAppendOnlyFile's errors).</summary>
public sealed class AofAppenderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "akkaredis-aof-unit-" + Guid.NewGuid().ToString("N")[..8]);

    public AofAppenderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static AofSettings Settings(string fsync, bool timestamps = false)
    {
        var config = new ServerConfig();
        Assert.Null(config.Set("appendfsync", fsync));
        Assert.Null(config.Set("aof-timestamp-enabled", timestamps ? "yes" : "no"));
        return new AofSettings(config);
    }

    /// <summary>A block of effects as a shard publishes it: (db, command) pairs.</summary>
    private static EffectBlock Block(params (int Db, string[] Args)[] commands)
    {
        var effects = new WriteEffects { Enabled = true };
        foreach (var (db, args) in commands) effects.Verbatim(db, CommandArgs.Of(args));
        return new EffectBlock(0, effects.Bytes.ToArray(), effects.Entries.ToArray(), atomic: false);
    }

    private static string Resp(params string[] args)
    {
        var sb = new StringBuilder($"*{args.Length}\r\n");
        foreach (var a in args) sb.Append($"${a.Length}\r\n{a}\r\n");
        return sb.ToString();
    }

    [Fact]
    public void Writes_select_when_the_database_changes_and_leaves_publish_out()
    {
        var path = Path.Combine(_dir, "a.incr.aof");
        var status = new PersistenceStatus();
        using (var appender = new AofAppender(Settings("always"), status, NoLogger.Instance, () => Assert.Fail("fatal")))
        {
            appender.Open(path);
            appender.Append(Block((0, ["SET", "a", "1"]), (0, ["PUBLISH", "ch", "m"]), (3, ["SET", "b", "2"])));
            appender.Append(Block((3, ["spublish", "ch", "m"]), (3, ["DEL", "b"]), (0, ["INCR", "a"])));
            // appendfsync always: on disk when Append returns.
            Assert.Equal(
                Resp("SELECT", "0") + Resp("SET", "a", "1") + Resp("SELECT", "3") + Resp("SET", "b", "2") + Resp("DEL", "b") +
                Resp("SELECT", "0") + Resp("INCR", "a"),
                Encoding.ASCII.GetString(File.ReadAllBytes(path)));
            Assert.Equal(new FileInfo(path).Length, status.AofCurrentSize);
            // A new incr file starts with a SELECT again.
            var next = Path.Combine(_dir, "b.incr.aof");
            appender.SwitchTo(next);
            appender.Append(Block((0, ["INCR", "a"])));
            Assert.Equal(Resp("SELECT", "0") + Resp("INCR", "a"), Encoding.ASCII.GetString(File.ReadAllBytes(next)));
        }
    }

    [Fact]
    public void Everysec_writes_promptly_from_its_thread_with_timestamp_annotations()
    {
        var path = Path.Combine(_dir, "c.incr.aof");
        using var appender = new AofAppender(Settings("everysec", timestamps: true), new PersistenceStatus(), NoLogger.Instance, () => Assert.Fail("fatal"));
        appender.Open(path);
        appender.Append(Block((0, ["SET", "a", "1"])));
        string text = "";
        Assert.True(SpinWait.SpinUntil(() => (text = ReadShared(path)).EndsWith(Resp("SET", "a", "1"), StringComparison.Ordinal), TimeSpan.FromSeconds(10)),
            $"not written: {text}");
        Assert.StartsWith("#TS:", text);
    }

    private static string ReadShared(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var r = new StreamReader(f, Encoding.ASCII);
        return r.ReadToEnd();
    }

    [SkippableFact]
    public void A_failed_write_turns_the_status_to_err_and_refuses_writes_with_misconf()
    {
        Skip.IfNot(File.Exists("/dev/full"), "no /dev/full here to make writes fail with ENOSPC");
        var status = new PersistenceStatus { AofEnabled = true };
        var fatal = 0;
        using (var appender = new AofAppender(Settings("everysec"), status, NoLogger.Instance, () => fatal++))
        {
            appender.Open("/dev/full");
            appender.Append(Block((0, ["SET", "a", "1"])));
            Assert.True(SpinWait.SpinUntil(() => status.AofWriteError != null, TimeSpan.FromSeconds(10)));
            Assert.Equal("MISCONF Errors writing to the AOF file: No space left on device", status.AofDeniesWrites());
            Assert.True(status.AofBufferLength > 0, "the bytes that could not be written stay buffered");
            // The writer retries once a second; what it takes for a retry is still unwritten, so INFO's
            // aof_buffer_length never reads 0 meanwhile (it did while a retry was under way, and the error was
            // published before the bytes were back: this test failed once in CI).
            var until = DateTime.UtcNow.AddSeconds(2.5);
            while (DateTime.UtcNow < until)
                Assert.True(status.AofBufferLength > 0, "aof_buffer_length read 0 while a write retried");
        }
        Assert.Equal(0, fatal);
        // appendfsync always cannot keep its promise after a failed write: Redis exits.
        using (var always = new AofAppender(Settings("always"), new PersistenceStatus(), NoLogger.Instance, () => fatal++))
        {
            always.Open("/dev/full");
            always.Append(Block((0, ["SET", "a", "1"])));
        }
        Assert.True(fatal >= 1);
    }
}
