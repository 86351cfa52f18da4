using System.Collections.Concurrent;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// One owner's command statistics: a shard's, the Transaction actor's, or one thread's (for the commands sessions
/// run and reject on that thread, <see cref="StatsRegistry.ForCurrentThread"/>). Only the owner writes, with plain
/// increments; readers (INFO, COMMAND, LATENCY) sum every cell through <see cref="StatsRegistry"/>. So no command
/// pays for a shared atomic or lock, as the ARCHITECTURE's hot path asks (Redis's call() keeps them in the one
/// thread that runs every command).
/// </summary>
public sealed class StatsCell
{
    private readonly StatsRegistry _registry;
    private int _generation;
    private CommandCounters[] _counters = [];
    private LatencyHistogram?[] _histograms = [];

    internal StatsCell(StatsRegistry registry, Thread? owner = null)
    {
        _registry = registry;
        _generation = registry.Generation;
        Owner = owner;
    }

    /// <summary>The thread that writes this cell, for a thread's cell; null for an actor's.</summary>
    internal Thread? Owner { get; }

    /// <summary>total_commands_processed.</summary>
    public long Commands;
    /// <summary>total_error_replies.</summary>
    public long ErrorReplies;
    /// <summary>errorstat_* by error code; written by the owner only, so never contended.</summary>
    public readonly ConcurrentDictionary<string, long> Errors = new();

    internal bool Current => Volatile.Read(ref _generation) == _registry.Generation;
    internal CommandCounters[] Counters => Volatile.Read(ref _counters);
    internal LatencyHistogram?[] Histograms => Volatile.Read(ref _histograms);

    /// <summary>A command that ran (Redis's call()): its calls, microseconds, failure, latency histogram.</summary>
    /// <param name="countError">False when the error reply was counted in errorstats already (see
    /// CommandRunner.Record): failed_calls only.</param>
    public void Called(CommandDef def, long micros, string? errorCode, bool trackLatency, bool countError = true)
    {
        Refresh();
        ref var c = ref CountersFor(def.Id);
        c.Calls++;
        c.Microseconds += micros;
        Commands++;
        if (errorCode != null)
        {
            c.Failed++;
            if (countError) Error(errorCode);
        }
        if (trackLatency) HistogramFor(def.Id).Record(micros * 1000);
    }

    /// <summary>A command refused before it ran (unknown subcommand arity, NOAUTH, DEBUG not allowed...): Redis's
    /// rejectCommand counts it as rejected_calls.</summary>
    public void Rejected(CommandDef def)
    {
        Refresh();
        CountersFor(def.Id).Rejected++;
    }

    /// <summary>An error reply (errorstats, total_error_replies).</summary>
    public void Error(string code)
    {
        Refresh();
        ErrorReplies++;
        Errors.AddOrUpdate(code, 1, static (_, n) => n + 1);
    }

    /// <summary>CONFIG RESETSTAT bumped the registry's generation: the owner clears its own counters before counting
    /// again, so a reset never races with the owner's increments.</summary>
    private void Refresh()
    {
        var generation = _registry.Generation;
        if (_generation == generation) return;
        Volatile.Write(ref _counters, []);
        Volatile.Write(ref _histograms, []);
        Commands = 0;
        ErrorReplies = 0;
        Errors.Clear();
        Volatile.Write(ref _generation, generation);
    }

    private ref CommandCounters CountersFor(int id)
    {
        if (id >= _counters.Length)
        {
            var longer = new CommandCounters[Math.Max(id + 1, _registry.CommandCount)];
            _counters.CopyTo(longer, 0);
            Volatile.Write(ref _counters, longer);
        }
        return ref _counters[id];
    }

    private LatencyHistogram HistogramFor(int id)
    {
        if (id >= _histograms.Length)
        {
            var longer = new LatencyHistogram?[Math.Max(id + 1, _registry.CommandCount)];
            _histograms.CopyTo(longer, 0);
            Volatile.Write(ref _histograms, longer);
        }
        return _histograms[id] ??= new LatencyHistogram();
    }

    /// <summary>Adds this cell into <paramref name="into"/> (an ended thread's counts, kept after it ended).</summary>
    internal void AddTo(StatsCell into)
    {
        var counters = Counters;
        var histograms = Histograms;
        for (var id = 0; id < counters.Length; id++)
        {
            ref var c = ref into.CountersFor(id);
            c.Calls += counters[id].Calls;
            c.Microseconds += counters[id].Microseconds;
            c.Failed += counters[id].Failed;
            c.Rejected += counters[id].Rejected;
        }
        for (var id = 0; id < histograms.Length; id++)
            if (histograms[id] is { } h) into.HistogramFor(id).Add(h);
        into.Commands += Commands;
        into.ErrorReplies += ErrorReplies;
        foreach (var (code, n) in Errors) into.Errors.AddOrUpdate(code, n, (_, m) => m + n);
    }
}

/// <summary>One command's counters in one cell.</summary>
public struct CommandCounters
{
    public long Calls;
    public long Microseconds;
    public long Failed;
    public long Rejected;
}

/// <summary>
/// Every statistics cell, summed when read. The lock is taken only by readers and by owners joining or leaving (a
/// shard at start, a thread at its first session command), never per command.
/// </summary>
public sealed class StatsRegistry
{
    private readonly object _lock = new();
    private readonly List<StatsCell> _cells = new();
    private readonly CommandTable _table;
    private readonly ThreadLocal<StatsCell> _threadCells;
    private StatsCell _retired;
    private volatile int _generation;

    public StatsRegistry(CommandTable table)
    {
        _table = table;
        _retired = new StatsCell(this);
        _threadCells = new ThreadLocal<StatsCell>(() => Join(new StatsCell(this, Thread.CurrentThread)));
    }

    /// <summary>The calling thread's cell, for what sessions count themselves (session commands, rejections,
    /// protocol errors). Per thread rather than per connection: a connection's counters and latency histogram
    /// cost tens of KB, which 10,000 idle clients must not pay, and sessions only ever run on a handful of
    /// threads (the socket threads and the pool's).</summary>
    public StatsCell ForCurrentThread() => _threadCells.Value!;

    private StatsCell Join(StatsCell cell)
    {
        lock (_lock) _cells.Add(cell);
        return cell;
    }

    internal int Generation => _generation;
    internal int CommandCount => _table.AllWithSubcommands.Count;

    /// <summary>A new cell for one owner (an actor).</summary>
    public StatsCell NewCell() => Join(new StatsCell(this));

    /// <summary>CONFIG RESETSTAT: every cell starts again from zero (each owner clears its own, see StatsCell).</summary>
    public void Reset()
    {
        lock (_lock)
        {
            _generation++;
            _retired = new StatsCell(this);
        }
    }

    private List<StatsCell> Current()
    {
        lock (_lock)
        {
            // A thread that ended (the pool retires idle workers) writes no more: its counts move into the retired
            // cell, so cells do not pile up over the server's life.
            _cells.RemoveAll(cell =>
            {
                if (cell.Owner is not { IsAlive: false }) return false;
                if (cell.Current) cell.AddTo(_retired);
                return true;
            });
            var list = new List<StatsCell>(_cells.Count + 1) { _retired };
            foreach (var cell in _cells)
                if (cell.Current) list.Add(cell);
            return list;
        }
    }

    /// <summary>One command's counters summed over every cell.</summary>
    public CommandCounters For(CommandDef def)
    {
        var sum = new CommandCounters();
        foreach (var cell in Current())
        {
            var counters = cell.Counters;
            if (def.Id >= counters.Length) continue;
            sum.Calls += counters[def.Id].Calls;
            sum.Microseconds += counters[def.Id].Microseconds;
            sum.Failed += counters[def.Id].Failed;
            sum.Rejected += counters[def.Id].Rejected;
        }
        return sum;
    }

    /// <summary>Every command's counters summed (INFO commandstats), indexed by CommandDef.Id.</summary>
    public CommandCounters[] All()
    {
        var sums = new CommandCounters[CommandCount];
        foreach (var cell in Current())
        {
            var counters = cell.Counters;
            for (var id = 0; id < counters.Length && id < sums.Length; id++)
            {
                sums[id].Calls += counters[id].Calls;
                sums[id].Microseconds += counters[id].Microseconds;
                sums[id].Failed += counters[id].Failed;
                sums[id].Rejected += counters[id].Rejected;
            }
        }
        return sums;
    }

    /// <summary>The command's latency histogram summed over every cell, or null when it has no sample.</summary>
    public LatencyHistogram? Histogram(CommandDef def)
    {
        LatencyHistogram? sum = null;
        foreach (var cell in Current())
        {
            var histograms = cell.Histograms;
            if (def.Id < histograms.Length && histograms[def.Id] is { } h) (sum ??= new LatencyHistogram()).Add(h);
        }
        return sum is { TotalCount: > 0 } ? sum : null;
    }

    public long TotalCommands => Current().Sum(c => Volatile.Read(ref c.Commands));

    public long TotalErrorReplies => Current().Sum(c => Volatile.Read(ref c.ErrorReplies));

    /// <summary>errorstat_*: each code's count summed over every cell.</summary>
    public SortedDictionary<string, long> Errors()
    {
        var sums = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var cell in Current())
            foreach (var (code, n) in cell.Errors)
                sums[code] = sums.GetValueOrDefault(code) + n;
        return sums;
    }
}
