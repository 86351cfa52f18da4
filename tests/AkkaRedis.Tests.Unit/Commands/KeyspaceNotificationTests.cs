using System.Text;
using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>
/// Keyspace notifications of the string, key, list and hash families as the handlers publish them (Redis's
/// notifyKeyspaceEvent), recorded by a publisher in place of the PubSub family: which events, in which order, on which
/// channels, and none at all while notify-keyspace-events is empty. The differential scripts (notifications family)
/// hold the same against redis-server through real subscribers.
/// </summary>
public sealed class KeyspaceNotificationTests
{
    private sealed class Recorder : IPublisher
    {
        public readonly List<string> Messages = [];

        public int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
        {
            Messages.Add(Encoding.Latin1.GetString(channel) + " " + Encoding.Latin1.GetString(message));
            return 0;
        }
    }

    private readonly HandlerHarness _h = new();
    private readonly Recorder _published = new();

    public KeyspaceNotificationTests()
    {
        _h.Server.Services.PubSub = _published;
        // As the shard does: keys the databases expire or add by themselves are told to the running context.
        foreach (var db in _h.Shard.Databases) db.Events = _h.Context;
    }

    private void Events(string classes) => Assert.Null(_h.Server.Config.Set("notify-keyspace-events", classes));

    /// <summary>The keyevent messages published since the last call ("event key").</summary>
    private List<string> Published()
    {
        var events = _published.Messages.Where(m => m.StartsWith("__keyevent@", StringComparison.Ordinal))
            .Select(m => m[(m.IndexOf("__:", StringComparison.Ordinal) + 3)..]).ToList();
        _published.Messages.Clear();
        return events;
    }

    [Fact]
    public void Nothing_is_published_while_notify_keyspace_events_is_empty()
    {
        _h.Run("SET", "k", "v", "EX", "100");
        _h.Run("LPUSH", "l", "a");
        _h.Run("RPOP", "l");
        _h.Run("HSET", "h", "f", "v");
        _h.Run("GET", "missing");
        _h.Run("RENAME", "k", "k2");
        Assert.Empty(_published.Messages);
    }

    [Fact]
    public void Both_channels_keyspace_first_and_the_db_of_the_command()
    {
        Events("KEA");
        _h.Db = 3;
        _h.Run("SET", "k", "v");
        Assert.Equal(["__keyspace@3__:k set", "__keyevent@3__:set k"], _published.Messages);
    }

    [Fact]
    public void Set_with_expire_publishes_set_then_expire_and_a_refused_set_nothing()
    {
        Events("KEA");
        _h.Run("SET", "k", "v", "EX", "100");
        _h.Run("SET", "k", "v", "NX");
        _h.Run("SET", "k", "v", "EX", "0");
        Assert.Equal(["set k", "expire k"], Published());
    }

    [Fact]
    public void New_comes_from_dbAdd_only_and_rename_over_an_existing_key_is_new()
    {
        Events("KEAn");
        _h.Run("SET", "a", "1");
        _h.Run("SET", "a", "2");
        _h.Run("SET", "b", "1");
        _h.Run("RENAME", "a", "b");
        Assert.Equal(["new a", "set a", "set a", "new b", "set b", "new b", "rename_from a", "rename_to b"], Published());
    }

    [Fact]
    public void Lazy_expiry_publishes_expired_then_the_read_miss()
    {
        Events("KEAm");
        _h.Run("SET", "k", "v", "PXAT", "1");
        Published();
        _h.Run("GET", "k");
        Assert.Equal(["expired k", "keymiss k"], Published());
    }

    [Fact]
    public void Keymiss_for_read_lookups_but_not_for_writes_or_OBJECT()
    {
        Events("Em");
        _h.Run("EXISTS", "a", "b");
        _h.Run("OBJECT", "ENCODING", "a");
        _h.Run("DEL", "a");
        _h.Run("LPOP", "a");
        _h.Run("HGET", "h", "f");
        Assert.Equal(["keymiss a", "keymiss b", "keymiss h"], Published());
    }

    [Fact]
    public void Lmove_pushes_the_destination_then_pops_and_deletes_the_source()
    {
        Events("KEA");
        _h.Run("RPUSH", "src", "x");
        Published();
        _h.Run("LMOVE", "src", "dst", "RIGHT", "LEFT");
        Assert.Equal(["lpush dst", "rpop src", "del src"], Published());
    }

    [Fact]
    public void Class_filter_keeps_only_the_chosen_families()
    {
        Events("El");
        _h.Run("SET", "s", "1");
        _h.Run("LPUSH", "l", "a");
        _h.Run("LPOP", "l");
        _h.Run("HSET", "h", "f", "v");
        Assert.Equal(["lpush l", "lpop l"], Published());
    }

    [Fact]
    public void No_op_and_refused_writes_publish_nothing()
    {
        Events("KEA");
        _h.Run("HSET", "h", "f", "v");
        _h.Run("SET", "s", "v");
        Published();
        _h.Run("HDEL", "h", "nothing");
        _h.Run("HSETNX", "h", "f", "v");
        _h.Run("LPUSHX", "missing", "a");
        _h.Run("LREM", "missing", "0", "a");
        _h.Run("PERSIST", "s");
        _h.Run("EXPIRE", "missing", "10");
        _h.Run("SETRANGE", "s", "0", "");
        _h.Run("LPUSH", "s", "a");
        _h.Run("INCR", "s");
        Assert.Empty(Published());
    }
}
