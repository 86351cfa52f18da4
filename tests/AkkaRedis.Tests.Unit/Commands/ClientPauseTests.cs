using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>CLIENT PAUSE's state (networking.c pauseClients / unpauseClients): the mode widens, the end only moves
/// later, waiting commands resume in the order they paused, and the pause ends by itself at its end.</summary>
public sealed class ClientPauseTests
{
    [Fact]
    public void ModeWidensEndMovesLaterAndWaitersResumeInOrder()
    {
        var pause = new ClientPause();
        var now = ServerClock.UnixMs();
        Assert.False(pause.Paused);
        Assert.False(pause.Wait(() => { }));

        pause.Pause(now + 60_000, ClientPause.Write, now);
        Assert.Equal(ClientPause.Write, pause.Mode);
        pause.Pause(now + 1, ClientPause.All, now); // wider mode, earlier end: the end stays
        Assert.Equal(ClientPause.All, pause.Mode);
        pause.Pause(now + 60_000, ClientPause.Write, now); // narrower mode: stays ALL
        Assert.Equal(ClientPause.All, pause.Mode);

        var resumed = new List<int>();
        Action first = () => resumed.Add(1), second = () => resumed.Add(2), gone = () => resumed.Add(3);
        Assert.True(pause.Wait(first));
        Assert.True(pause.Wait(gone));
        Assert.True(pause.Wait(second));
        pause.Forget(gone);
        // Still paused after the earlier end went by: the later one holds.
        Thread.Sleep(20);
        Assert.True(pause.Paused);
        Assert.Empty(resumed);

        pause.Unpause();
        Assert.False(pause.Paused);
        Assert.Equal([1, 2], resumed);
        Assert.False(pause.Wait(first));
    }

    [Fact]
    public void APauseEndsByItselfAndResumesItsWaiters()
    {
        var pause = new ClientPause();
        var now = ServerClock.UnixMs();
        pause.Pause(now + 30, ClientPause.Write, now);
        var resumed = 0;
        Assert.True(pause.Wait(() => Interlocked.Increment(ref resumed)));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Volatile.Read(ref resumed) == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the pause did not end within 10 s of its 30 ms timeout");
            Thread.Sleep(5);
        }
        Assert.False(pause.Paused);
        Assert.Equal(1, resumed);
    }
}
