using System.Text;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Lua;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>What the script routing and undo tests share: keys placed on a chosen shard, batches sent to a shard as a
/// session sends them, and the skip when liblua5.1 is missing.</summary>
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
