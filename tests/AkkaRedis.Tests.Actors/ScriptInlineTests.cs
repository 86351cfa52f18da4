using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using Xunit;

namespace AkkaRedis.Tests.Actors;

/// <summary>
/// Scripts run on a session's thread when their shard is free (issue 13: no thread hop for EVALSHA), and leave that
/// thread (Commands.Scripting.ScriptRun, <see cref="ExecContext.YieldToShardActor"/>) when they run past the inline
/// budget or are about to do what the undo journal cannot take back: nothing of the inline attempt stays (writes,
/// effects, reply), the batch stops there, and the shard's actor runs the script and the rest of the batch once.
/// </summary>
public sealed class ScriptInlineTests : ScriptTestBase
{
    private ShardBatch BatchOn(int shard, params byte[][][] commands)
    {
        var batch = new ShardBatch { ShardIndex = shard };
        foreach (var c in commands) batch.Add(c, Server.Commands.Resolve(c, out _)!, batch.Commands.Count);
        return batch;
    }

    /// <summary>Runs the batch inline, as a session's Dispatch does (the shard is idle: it must run).</summary>
    private void RunInline(ShardBatch batch)
    {
        RunOnShard(Cmd("EXISTS", KeyOn(batch.ShardIndex, "probe"))); // the actor has attached its gate and is idle
        Assert.True(Server.Keyspace.ShardData[batch.ShardIndex].Gate.TryRun(batch), "the idle shard refused the inline run");
    }

    /// <summary>What the session does with a yielded batch: the rest from the yield on goes to the shard's actor.</summary>
    private ShardBatch SendRest(ShardBatch batch)
    {
        batch.SegmentStart = batch.YieldAt;
        batch.YieldAt = -1;
        Server.Keyspace.Shards[batch.ShardIndex].Tell(batch, TestActor);
        return ExpectMsg<ShardBatch>();
    }

    // About 20 ms of Lua on this machine and far more on a loaded one: well past the 2 ms budget.
    private const string Spin = "local t = 0; for i = 1, 3000000 do t = t + i end; ";

    [SkippableFact]
    public void A_short_script_runs_inline_and_answers_there()
    {
        RequireLua();
        var k = KeyOn(0, "k");
        var batch = BatchOn(0, Cmd("EVAL", "redis.call('incr', KEYS[1]); return redis.call('get', KEYS[1])", "1", k), Cmd("incr", k));
        TakeEffects();
        RunInline(batch);
        Assert.Equal(-1, batch.YieldAt);
        Assert.Equal("$1\r\n1\r\n", Reply(batch, 0));
        Assert.Equal(":2\r\n", Reply(batch, 1));
        Assert.Equal([$"incr {k}", $"incr {k}"], TakeEffects());
        ExpectNoMsg(TimeSpan.FromMilliseconds(50)); // nothing was sent
    }

    [SkippableFact]
    public void A_script_past_the_inline_budget_leaves_nothing_and_runs_once_on_the_actor()
    {
        RequireLua();
        var (k, other) = (KeyOn(0, "k"), KeyOn(0, "o"));
        RunOnShard(Cmd("SET", other, "before"));
        var script = "redis.call('incr', KEYS[1]); redis.call('set', KEYS[2], 'during'); " + Spin + "return redis.call('get', KEYS[1])";
        var batch = BatchOn(0, Cmd("set", "x" + k, "first"), Cmd("EVAL", script, "2", k, other), Cmd("incr", k));
        TakeEffects();
        RunInline(batch);

        // Stopped at the script: the command before it answered, the script and the one after it not run.
        Assert.Equal(1, batch.YieldAt);
        Assert.Single(batch.Starts);
        Assert.Equal("+OK\r\n", Reply(batch, 0));
        Assert.Equal([$"set x{k} first"], TakeEffects());
        Assert.Equal(["$-1\r\n", "$6\r\nbefore\r\n"], RunOnShard(Cmd("GET", k), Cmd("GET", other)));

        // On the actor it runs to its end (no budget there), once, and the rest of the batch after it.
        var answered = SendRest(batch);
        Assert.Equal(-1, answered.YieldAt);
        Assert.Equal("$1\r\n1\r\n", Reply(answered, 1));
        Assert.Equal(":2\r\n", Reply(answered, 2));
        Assert.Equal(["MULTI", $"incr {k}", $"set {other} during", "EXEC", $"incr {k}"], TakeEffects());
        Assert.Equal(["$6\r\nduring\r\n"], RunOnShard(Cmd("GET", other)));
    }

    [SkippableFact]
    public void A_script_about_to_publish_yields_before_the_message_goes_out()
    {
        RequireLua();
        var k = KeyOn(0, "k");
        var batch = BatchOn(0, Cmd("EVAL", "redis.call('incr', KEYS[1]); return redis.call('publish', 'ch', 'm')", "1", k));
        TakeEffects();
        RunInline(batch);
        Assert.Equal(0, batch.YieldAt);
        Assert.Empty(TakeEffects());
        Assert.Equal(["$-1\r\n"], RunOnShard(Cmd("GET", k)));
        var answered = SendRest(batch);
        Assert.Equal(":0\r\n", Reply(answered, 0)); // nobody listens
        Assert.Equal(["MULTI", $"incr {k}", "publish ch m", "EXEC"], TakeEffects()); // once
    }

    [SkippableFact]
    public void With_keyspace_notifications_on_a_script_yields_before_its_first_write()
    {
        RequireLua();
        var k = KeyOn(0, "k");
        Assert.Null(Server.Config.Set("notify-keyspace-events", "KEA"));
        var batch = BatchOn(0, Cmd("EVAL", "local v = redis.call('get', KEYS[1]); redis.call('set', KEYS[1], 'w'); return v", "1", k));
        RunOnShard(Cmd("SET", k, "r"));
        TakeEffects();
        RunInline(batch);
        Assert.Equal(0, batch.YieldAt);
        Assert.Empty(TakeEffects());
        var answered = SendRest(batch);
        Assert.Equal("$1\r\nr\r\n", Reply(answered, 0));
        Assert.Equal(["$1\r\nw\r\n"], RunOnShard(Cmd("GET", k)));
    }
}
