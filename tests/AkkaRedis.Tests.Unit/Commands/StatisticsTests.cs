using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Session;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>Per-owner statistics (issue 8 item 2): each shard, actor and session thread counts in its own cell, readers sum.</summary>
public sealed class StatisticsTests
{
    private static (StatsRegistry Registry, CommandDef Get, CommandDef Set) Setup()
    {
        var table = Families.CreateTable();
        return (new StatsRegistry(table), table.Find("get")!, table.Find("set")!);
    }

    [Fact]
    public void Readers_sum_every_cell()
    {
        var (registry, get, set) = Setup();
        var shard0 = registry.NewCell();
        var shard1 = registry.NewCell();
        shard0.Called(get, 10, null, trackLatency: true);
        shard1.Called(get, 5, "WRONGTYPE", trackLatency: true);
        shard1.Called(set, 1, null, trackLatency: false);
        shard0.Rejected(set);

        var g = registry.For(get);
        Assert.Equal((2L, 15L, 1L, 0L), (g.Calls, g.Microseconds, g.Failed, g.Rejected));
        Assert.Equal(1, registry.For(set).Rejected);
        Assert.Equal(3, registry.TotalCommands);
        Assert.Equal(1, registry.TotalErrorReplies);
        Assert.Equal(1, registry.Errors()["WRONGTYPE"]);
        Assert.Equal(2, registry.Histogram(get)!.TotalCount);
        Assert.Null(registry.Histogram(set));
        Assert.Equal(2, registry.All()[get.Id].Calls);
    }

    [Fact]
    public void An_ended_threads_cell_keeps_its_counts_and_reset_clears_every_cell()
    {
        var (registry, get, _) = Setup();
        var shard = registry.NewCell();
        StatsCell? threadCell = null;
        var thread = new Thread(() =>
        {
            threadCell = registry.ForCurrentThread();
            threadCell.Called(get, 1, null, trackLatency: true);
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        shard.Called(get, 1, null, trackLatency: false);
        // The thread is gone: its cell is folded into the retired counts when read, not dropped.
        Assert.Equal(2, registry.For(get).Calls);
        Assert.Equal(2, registry.For(get).Calls);
        Assert.Equal(1, registry.Histogram(get)!.TotalCount);

        registry.Reset();
        Assert.Equal(0, registry.For(get).Calls);
        Assert.Equal(0, registry.TotalCommands);
        // The owner clears its own counters at its next command, then counts from zero.
        shard.Called(get, 1, null, trackLatency: false);
        Assert.Equal(1, registry.For(get).Calls);
    }

    [Fact]
    public void Sessions_count_in_one_cell_per_thread_not_per_connection()
    {
        var (registry, get, _) = Setup();
        var here = registry.ForCurrentThread();
        Assert.Same(here, registry.ForCurrentThread());
        StatsCell? other = null;
        var thread = new Thread(() => other = registry.ForCurrentThread());
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        Assert.NotSame(here, other);
        here.Called(get, 3, null, trackLatency: false);
        Assert.Equal(1, registry.For(get).Calls);
    }

    [Fact]
    public void Handlers_run_by_a_context_count_in_its_own_cell()
    {
        var h = new HandlerHarness();
        var before = h.Server.CommandStats.For(h.Server.Commands.Find("set")!).Calls;
        h.Run("SET", "k", "v");
        Assert.Equal(before + 1, h.Server.CommandStats.For(h.Server.Commands.Find("set")!).Calls);
    }

    [Fact]
    public void Network_bytes_are_each_connections_own_summed_when_read()
    {
        var stats = new ServerStats();
        var clients = new ClientRegistry();
        var a = new ClientSession(1, "127.0.0.1:1", "127.0.0.1:6379") { NetInputBytes = 10, NetOutputBytes = 100 };
        var b = new ClientSession(2, "127.0.0.1:2", "127.0.0.1:6379") { NetInputBytes = 5, NetOutputBytes = 50 };
        clients.Add(a);
        clients.Add(b);
        Assert.Equal((15L, 150L), stats.NetBytes(clients));
        stats.Retire(a);
        clients.Remove(a);
        Assert.Equal((15L, 150L), stats.NetBytes(clients));
        stats.Reset(clients);
        b.NetInputBytes += 7;
        Assert.Equal((7L, 0L), stats.NetBytes(clients));
    }
}
