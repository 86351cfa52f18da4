using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using AkkaRedis.Actors.Lua;
using AkkaRedis.Actors.Server;

namespace AkkaRedis.Actors.Commands.Scripting;

/// <summary>
/// The server's scripting state (Redis's lctx of eval.c and curr_run_ctx of script.c): the EVAL script cache, the Lua
/// states EVAL scripts run in, and the registry of running scripts that -BUSY, SCRIPT KILL and FUNCTION KILL read.
/// One per server (<see cref="CommandServices.Scripts"/>); shards, the Transaction actor and sessions share it, so
/// every member is thread-safe.
/// </summary>
public sealed class ScriptEngine
{
    public ScriptEngine(ServerConfig config)
    {
        Config = config;
        Running = new ScriptRegistry(config);
    }

    public ServerConfig Config { get; }

    /// <summary>SHA1 -> body of every script EVAL or SCRIPT LOAD compiled (lctx.lua_scripts).</summary>
    public ScriptCache Cache { get; } = new();

    /// <summary>Redis has one Lua state for EVAL; shards run scripts in parallel, so there is a pool of them, each
    /// compiling a cached script (as f_&lt;sha&gt;) the first time it runs it. SCRIPT FLUSH replaces them all, as
    /// scriptingReset replaces Redis's state.</summary>
    public LuaVmPool EvalVms { get; } = new(LuaVmKind.Eval);

    /// <summary>Scripts and functions running now (curr_run_ctx, one per shard or hold here).</summary>
    public ScriptRegistry Running { get; }

    /// <summary>Where <c>redis.log</c> lines go (the host's log; set when the server is assembled): level
    /// 0 debug .. 3 warning, as Redis's LL_* levels.</summary>
    public Action<int, string>? LogSink { get; set; }

    /// <summary>MONITOR's feed for the commands scripts call (set by the session layer): database, command, arguments.</summary>
    public Action<int, CommandDef, Net.Resp.CommandArgs>? Monitor { get; set; }

    /// <summary>redis.log: dropped below the configured loglevel, as serverLogRaw drops it.</summary>
    public void Log(int level, string message)
    {
        var sink = LogSink;
        if (sink == null) return;
        var verbosity = Config.LogLevel switch { "debug" => 0, "verbose" => 1, "notice" => 2, _ => 3 };
        if (level >= verbosity) sink(level, message);
    }

    /// <summary>Which cached scripts are known to reach keys they did not declare.</summary>
    public LearnedRouting Routing { get; } = new();

    /// <summary>The cached script an EVAL*/EVALSHA* names, once some script is known to need every shard (null before:
    /// then an EVALSHA costs a cache lookup and an EVAL a SHA1 of its body only after something was learned).</summary>
    public RoutedScript? Routed(CommandDef def, Net.Resp.CommandArgs args)
    {
        if (!Routing.Any || args.Length < 2) return null;
        return def.Name switch
        {
            "evalsha" or "evalsha_ro" => Cache.Find(args[1].Span),
            "eval" or "eval_ro" => Cache.FindBody(args[1].Span, out _),
            _ => null,
        };
    }

    /// <summary>SCRIPT FLUSH (scriptingReset): the cache and every EVAL Lua state go; states in use are dropped when
    /// their script ends.</summary>
    public void Flush()
    {
        Routing.Reset();
        Cache.Clear();
        EvalVms.Reset();
    }
}

/// <summary>One cached EVAL script (luaScript): its body as sent, the shebang's flags, and where the Lua code starts
/// (after the shebang line, keeping its line feed so that line numbers stay the user's, as luaCreateFunction does).</summary>
public sealed class ScriptEntry(string sha, byte[] body, ScriptFlags flags, int codeStart) : RoutedScript
{
    /// <summary>Lower-case hex SHA1 of the body.</summary>
    public string Sha { get; } = sha;
    /// <summary>The Lua global the body is compiled as: "f_" + sha.</summary>
    public string FunctionName { get; } = "f_" + sha;
    public byte[] Body { get; } = body;
    public ScriptFlags Flags { get; } = flags;
    public ReadOnlySpan<byte> Code => Body.AsSpan(codeStart);
    /// <summary>used_memory_scripts_eval's share: the SHA and the body, as Redis counts its sds strings.</summary>
    public long Memory => 40 + 9 + Body.Length + 16;
}

/// <summary>The EVAL script cache. Lookups are case-insensitive, as Redis's dict of SHAs (dictSdsKeyCaseCompare).</summary>
public sealed class ScriptCache
{
    private readonly ConcurrentDictionary<string, ScriptEntry> _bySha = new(StringComparer.OrdinalIgnoreCase);
    private long _memory;

    public int Count => _bySha.Count;
    /// <summary>used_memory_scripts_eval (lctx.lua_scripts_mem).</summary>
    public long Memory => Interlocked.Read(ref _memory);

    /// <summary>The script with SHA <paramref name="sha"/> (any case), or null; no allocation.</summary>
    public ScriptEntry? Find(ReadOnlySpan<byte> sha)
    {
        if (sha.Length != 40) return null;
        Span<char> chars = stackalloc char[40];
        for (var i = 0; i < 40; i++) chars[i] = (char)sha[i];
        return _bySha.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(chars, out var entry) ? entry : null;
    }

    /// <summary>The cached script whose body is <paramref name="body"/>, or null; <paramref name="sha"/> is its SHA1
    /// either way (lower-case hex).</summary>
    public ScriptEntry? FindBody(ReadOnlySpan<byte> body, out string? sha)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(body, hash);
        Span<char> hex = stackalloc char[40];
        Sha1Hex(hash, hex);
        if (_bySha.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(hex, out var entry))
        {
            sha = entry.Sha;
            return entry;
        }
        sha = new string(hex);
        return null;
    }

    /// <summary>Adds a script that compiled (another thread may have added the same one: that one is kept).</summary>
    public ScriptEntry Add(ScriptEntry entry)
    {
        var kept = _bySha.GetOrAdd(entry.Sha, entry);
        if (ReferenceEquals(kept, entry)) Interlocked.Add(ref _memory, entry.Memory);
        return kept;
    }

    public void Clear()
    {
        _bySha.Clear();
        Interlocked.Exchange(ref _memory, 0);
    }

    /// <summary>Redis's sha1hex: lower-case hex digits.</summary>
    public static void Sha1Hex(ReadOnlySpan<byte> hash, Span<char> hex)
    {
        const string digits = "0123456789abcdef";
        for (var i = 0; i < hash.Length; i++)
        {
            hex[2 * i] = digits[hash[i] >> 4];
            hex[2 * i + 1] = digits[hash[i] & 15];
        }
    }

    public static string Sha1Hex(ReadOnlySpan<byte> body)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(body, hash);
        Span<char> hex = stackalloc char[40];
        Sha1Hex(hash, hex);
        return new string(hex);
    }
}

/// <summary>
/// Lua states of one kind, lent to one script run at a time (a LuaVm is single-threaded). A state is made on demand
/// (at most one per concurrent run: shards and Transaction-actor holds) and kept; <see cref="Reset"/> retires every
/// state (SCRIPT FLUSH, FUNCTION FLUSH): idle ones at once, lent ones when they come back.
/// </summary>
public sealed class LuaVmPool
{
    private readonly ConcurrentBag<LuaVmLease> _idle = new();
    private readonly List<LuaVmLease> _all = new();
    private readonly Action<LuaVm>? _prepare;
    private volatile int _generation;

    /// <param name="prepare">Runs on each new state before it is first lent (the functions piece loads its libraries).</param>
    public LuaVmPool(LuaVmKind kind, Action<LuaVm>? prepare = null)
    {
        Kind = kind;
        _prepare = prepare;
    }

    public LuaVmKind Kind { get; }

    /// <summary>A state for one run; give it back with <see cref="Return"/>.</summary>
    public LuaVmLease Rent()
    {
        while (_idle.TryTake(out var lease))
        {
            if (lease.Generation == _generation) return lease;
            Retire(lease);
        }
        var vm = new LuaVm(Kind);
        var made = new LuaVmLease(vm, _generation);
        try
        {
            _prepare?.Invoke(vm);
        }
        catch
        {
            vm.Dispose();
            throw;
        }
        lock (_all) _all.Add(made);
        return made;
    }

    public void Return(LuaVmLease lease)
    {
        if (lease.Generation != _generation)
        {
            Retire(lease);
            return;
        }
        // Read while this thread still owns the state: INFO adds these up from other threads.
        lease.Memory = lease.Vm.UsedMemory;
        _idle.Add(lease);
    }

    /// <summary>Every state goes (SCRIPT FLUSH): the next run gets a fresh one.</summary>
    public void Reset()
    {
        Interlocked.Increment(ref _generation);
        while (_idle.TryTake(out var lease)) Retire(lease);
    }

    private void Retire(LuaVmLease lease)
    {
        lock (_all) _all.Remove(lease);
        lease.Vm.Dispose();
    }

    /// <summary>used_memory_vm_eval: the states' memory as last seen when they were idle (read racily).</summary>
    public long UsedMemory
    {
        get
        {
            long sum = 0;
            lock (_all)
                foreach (var lease in _all) sum += lease.Memory;
            return sum;
        }
    }

    /// <summary>How many Lua states exist now.</summary>
    public int Count
    {
        get
        {
            lock (_all) return _all.Count;
        }
    }
}

/// <summary>A Lua state lent by a <see cref="LuaVmPool"/>.</summary>
public sealed class LuaVmLease(LuaVm vm, int generation)
{
    public LuaVm Vm { get; } = vm;
    internal int Generation { get; } = generation;
    internal long Memory;
}

/// <summary>One script or function run, as the registry sees it (scriptRunCtx's flags): its kind, start, whether it
/// wrote (SCRIPT_WRITE_DIRTY: then it cannot be killed) and whether it was killed (SCRIPT_KILLED).</summary>
public sealed class RunningScript
{
    public LuaVmKind Kind { get; internal set; }
    public string Name { get; internal set; } = "";
    public long StartTimestamp { get; internal set; }
    /// <summary>A function's caller's command (FCALL's argv, for FUNCTION STATS), copied when it starts.</summary>
    public byte[][]? Command { get; internal set; }
    private volatile bool _killed;
    private volatile bool _wrote;
    public bool Killed
    {
        get => _killed;
        internal set => _killed = value;
    }
    public bool Wrote
    {
        get => _wrote;
        internal set => _wrote = value;
    }
    internal bool Registered;
    /// <summary>Killed by SHUTDOWN NOSAVE (even after writing): its effects are not propagated.</summary>
    internal volatile bool StoppedForShutdown;

    public long ElapsedMs => (long)Stopwatch.GetElapsedTime(StartTimestamp).TotalMilliseconds;
}

/// <summary>
/// The scripts running now. Redis runs one at a time and calls the server busy once it has run longer than
/// busy-reply-threshold; here shards run scripts in parallel, and the server is busy while the oldest running one
/// has run longer than that (the others are younger). Sessions read <see cref="Oldest"/> once per command (one
/// volatile read); only while it is set do they look at the clock.
/// </summary>
public sealed class ScriptRegistry(ServerConfig config)
{
    public const string BusyEval = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
    public const string BusyFunction = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
    public const string NotBusy = "NOTBUSY No scripts in execution right now.";
    public const string Unkillable = "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.";

    private readonly List<RunningScript> _running = new();
    private volatile RunningScript? _oldest;

    /// <summary>The longest-running script, or null when none runs.</summary>
    public RunningScript? Oldest => _oldest;

    public int Count
    {
        get
        {
            lock (_running) return _running.Count;
        }
    }

    public void Start(RunningScript script)
    {
        script.Killed = false;
        script.Wrote = false;
        script.StoppedForShutdown = false;
        script.StartTimestamp = Stopwatch.GetTimestamp();
        lock (_running)
        {
            _running.Add(script);
            script.Registered = true;
            _oldest ??= script;
        }
    }

    public void End(RunningScript script)
    {
        lock (_running)
        {
            if (!script.Registered) return;
            script.Registered = false;
            _running.Remove(script);
            if (ReferenceEquals(_oldest, script)) _oldest = _running.Count > 0 ? _running[0] : null;
        }
    }

    /// <summary>The script that makes the server busy (processCommand's isInsideYieldingLongCommand): the oldest one
    /// once it has run longer than busy-reply-threshold; null otherwise.</summary>
    public RunningScript? Busy()
    {
        var oldest = _oldest;
        if (oldest == null || oldest.ElapsedMs < config.BusyReplyThreshold) return null;
        return oldest;
    }

    /// <summary>processCommand's busy check: the -BUSY error for <paramref name="def"/>, or null when it may run
    /// (no busy script, or an allow_busy command).</summary>
    public string? BusyRefusal(CommandDef def, Net.Resp.CommandArgs args)
    {
        var shutdown = def.Name == "shutdown";
        if ((def.Flags & CommandFlags.AllowBusy) != 0 && !(shutdown && !HasNoSave(args)))
        {
            // SHUTDOWN NOSAVE while busy: Redis exits without finishing the script. Here the script's shard must come
            // back for the process to stop, so the script is stopped, its effects dropped (ScriptRun), and never saved.
            if (shutdown && Busy() != null) StopForShutdown();
            return null;
        }
        var busy = Busy();
        if (busy == null) return null;
        return busy.Kind == LuaVmKind.Eval ? BusyEval : BusyFunction;
    }

    private void StopForShutdown()
    {
        lock (_running)
            foreach (var script in _running)
            {
                script.StoppedForShutdown = true;
                script.Killed = true;
            }
    }

    /// <summary>shutdownCommand refuses a busy server unless told NOSAVE (the script's writes must not be saved).</summary>
    private static bool HasNoSave(Net.Resp.CommandArgs args)
    {
        for (var i = 1; i < args.Length; i++)
            if (Keywords.Is(args[i], "nosave")) return true;
        return false;
    }

    /// <summary>scriptKill: SCRIPT KILL (<paramref name="eval"/>) or FUNCTION KILL. Null when the busy script was
    /// marked killed (reply +OK; its VM raises the kill error at its next hook), else the error to reply.
    /// Only a busy script can be killed: a younger one would, in Redis, have ended before SCRIPT KILL ran.</summary>
    public string? Kill(bool eval)
    {
        var busy = Busy();
        if (busy == null) return NotBusy;
        if (busy.Wrote) return Unkillable;
        if (eval && busy.Kind != LuaVmKind.Eval) return BusyFunction;
        if (!eval && busy.Kind == LuaVmKind.Eval) return BusyEval;
        busy.Killed = true;
        return null;
    }
}
