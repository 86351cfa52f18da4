using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// CLIENT PAUSE's server-wide state (Redis's client_pause_type and client_pause_end_time, networking.c pauseClients /
/// unpauseClients): read by every session before it runs a command (one volatile read while nothing is paused) and by
/// the shards before they expire keys. Sessions whose command must wait register a resume callback; they are resumed
/// in the order they paused (Redis's postponed_clients list) when the pause ends, by CLIENT UNPAUSE or by its timeout.
/// </summary>
public sealed class ClientPause
{
    public const int None = 0, Write = 1, All = 2;

    private readonly object _lock = new();
    private readonly List<Action> _waiting = new();
    private volatile int _mode;
    private long _endMs;
    private Timer? _timer;

    /// <summary><see cref="None"/>, <see cref="Write"/> or <see cref="All"/>.</summary>
    public int Mode => _mode;

    /// <summary>Any pause is in effect: keys do not expire (Redis 7.0's checkClientPauseTimeoutAndReturnIfPaused).</summary>
    public bool Paused => _mode != None;

    /// <summary>Redis's pauseClients: the mode only ever widens (WRITE to ALL) and the end only moves later, until
    /// the pause ends.</summary>
    public void Pause(long endMs, int mode, long nowMs)
    {
        lock (_lock)
        {
            if (mode > _mode) _mode = mode;
            if (endMs <= _endMs) return;
            _endMs = endMs;
            var due = TimeSpan.FromMilliseconds(Math.Max(0, endMs - nowMs));
            if (_timer == null) _timer = new Timer(_ => Expire(), null, due, Timeout.InfiniteTimeSpan);
            else _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Redis's unpauseClients: the pause ends and every waiting command runs again, in order.</summary>
    public void Unpause()
    {
        Action[] resume;
        lock (_lock)
        {
            _mode = None;
            _endMs = 0;
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            resume = _waiting.ToArray();
            _waiting.Clear();
        }
        foreach (var r in resume) r();
    }

    /// <summary>Registers <paramref name="resume"/> to be called when the pause ends; false when it has ended
    /// already (the command runs now).</summary>
    public bool Wait(Action resume)
    {
        lock (_lock)
        {
            if (_mode == None) return false;
            _waiting.Add(resume);
            return true;
        }
    }

    /// <summary>A closing connection stops waiting.</summary>
    public void Forget(Action resume)
    {
        lock (_lock) _waiting.Remove(resume);
    }

    private void Expire()
    {
        lock (_lock)
        {
            if (_mode == None) return;
            var left = _endMs - ServerClock.UnixMs();
            if (left > 0)
            {
                // Early by a clock tick: wait for the rest.
                _timer!.Change(TimeSpan.FromMilliseconds(left), Timeout.InfiniteTimeSpan);
                return;
            }
        }
        Unpause();
    }
}
