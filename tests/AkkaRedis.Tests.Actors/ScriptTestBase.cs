using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Lua;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>What the script routing, undo and inline tests share: keys placed on a chosen shard, batches sent to a shard
/// as a session sends them, the write effects published, and the skip when liblua5.1 is missing.</summary>
public abstract class ScriptTestBase : KeyspaceTestBase
{
    protected int Shards => Server.Keyspace.Shards.Length;

    protected string KeyOn(int shard, string prefix)
    {
        for (var i = 0; ; i++)
        {
            var key = prefix + i;
            if (HashSlot.ShardOf(Encoding.UTF8.GetBytes(key), Shards) == shard) return key;
        }
    }

    private readonly List<EffectBlock> _effects = new();

    protected ScriptTestBase()
    {
        Server.Effects.Subscribe(b =>
        {
            lock (_effects) _effects.Add(b);
        });
    }

    /// <summary>The write effects published since the last call, one line per command as sent ("SET a x").</summary>
    protected List<string> TakeEffects()
    {
        lock (_effects)
        {
            var lines = new List<string>();
            foreach (var block in _effects)
            foreach (var entry in block.Entries)
            {
                var parts = Encoding.Latin1.GetString(block.Bytes, entry.Start, entry.End - entry.Start).Split("\r\n");
                var words = new List<string>();
                for (var i = 1; i + 1 < parts.Length; i += 2) words.Add(parts[i + 1]);
                lines.Add(string.Join(' ', words));
            }
            _effects.Clear();
            return lines;
        }
    }

    protected static void RequireLua() => Skip.IfNot(LuaVm.Available, "liblua5.1 cannot be loaded here: " + LuaVm.UnavailableReason);

    /// <summary>Sends the commands as one batch to <paramref name="shard"/>, as a session does.</summary>
    protected ShardBatch Send(int shard, params byte[][][] commands)
    {
        var batch = new ShardBatch { ShardIndex = shard };
        foreach (var c in commands)
        {
            var def = Server.Commands.Resolve(c, out var error) ?? throw new InvalidOperationException(error);
            batch.Add(c, def, batch.Commands.Count);
        }
        Server.Keyspace.Shards[shard].Tell(batch, TestActor);
        return ExpectMsg<ShardBatch>();
    }

    protected static string Reply(ShardBatch batch, int index)
    {
        var end = index + 1 < batch.Starts.Count ? batch.Starts[index + 1] : batch.End;
        return Encoding.UTF8.GetString(batch.Writer.Buffer, batch.Starts[index], end - batch.Starts[index]);
    }
}
