using AkkaRedis.Actors.Session;

namespace AkkaRedis.Actors.Commands;

/// <summary>COMMAND INFO flags, in the order Redis lists them.</summary>
[Flags]
public enum CommandFlags
{
    None = 0,
    Write = 1 << 0,
    ReadOnly = 1 << 1,
    DenyOom = 1 << 2,
    Module = 1 << 3,
    Admin = 1 << 4,
    PubSub = 1 << 5,
    NoScript = 1 << 6,
    Blocking = 1 << 7,
    Loading = 1 << 8,
    Stale = 1 << 9,
    SkipMonitor = 1 << 10,
    SkipSlowlog = 1 << 11,
    Asking = 1 << 12,
    Fast = 1 << 13,
    NoAuth = 1 << 14,
    MayReplicate = 1 << 15,
    NoAsyncLoading = 1 << 16,
    NoMandatoryKeys = 1 << 17,
    NoMulti = 1 << 18,
    MovableKeys = 1 << 19,
    AllowBusy = 1 << 20,
}

/// <summary>ACL categories, in the order Redis lists them.</summary>
[Flags]
public enum AclCategories
{
    None = 0,
    Keyspace = 1 << 0,
    Read = 1 << 1,
    Write = 1 << 2,
    Set = 1 << 3,
    SortedSet = 1 << 4,
    List = 1 << 5,
    Hash = 1 << 6,
    String = 1 << 7,
    Bitmap = 1 << 8,
    HyperLogLog = 1 << 9,
    Geo = 1 << 10,
    Stream = 1 << 11,
    PubSub = 1 << 12,
    Admin = 1 << 13,
    Fast = 1 << 14,
    Slow = 1 << 15,
    Blocking = 1 << 16,
    Dangerous = 1 << 17,
    Connection = 1 << 18,
    Transaction = 1 << 19,
    Scripting = 1 << 20,
}

/// <summary>Where a command runs.</summary>
public enum Execution
{
    /// <summary>On the shard that owns its keys (through the Transaction actor when they span shards).</summary>
    Shard,
    /// <summary>With every shard held by the Transaction actor (whole-keyspace commands: DBSIZE, KEYS, FLUSHALL...).</summary>
    AllShards,
    /// <summary>In the connection's session stage (connection state, server-wide state).</summary>
    Session,
}

/// <summary>A handler that runs against the keyspace (on a shard, or on shards held by the Transaction actor).</summary>
public delegate void CommandHandler(ExecContext ctx);

/// <summary>A handler that runs in the connection's session stage.</summary>
public delegate void SessionHandler(SessionCall call);

/// <summary>Returns the argument indexes that are keys, for commands whose keys move (numkeys, STORE options...).</summary>
public delegate void KeyFinder(byte[][] args, List<int> keyIndexes);

/// <summary>
/// One command's single declaration: everything else (dispatch, arity errors, routing, COMMAND output, stats)
/// is derived from it.
/// </summary>
public sealed class CommandDef
{
    public CommandDef(string name, int arity, CommandFlags flags, int firstKey, int lastKey, int step, AclCategories acl)
    {
        Name = name;
        Arity = arity;
        Flags = flags;
        FirstKey = firstKey;
        LastKey = lastKey;
        Step = step;
        DeclaredAcl = acl;
    }

    /// <summary>Lower-case name; subcommands are "container|sub" as Redis 7 names them.</summary>
    public string Name { get; internal set; }
    public int Arity { get; }
    public CommandFlags Flags { get; internal set; }
    public int FirstKey { get; }
    public int LastKey { get; }
    public int Step { get; }
    public AclCategories DeclaredAcl { get; }

    /// <summary>Shard unless declared otherwise; commands with a session handler run in the session.</summary>
    public Execution Execution
    {
        get => _execution ?? (SessionHandler != null ? Execution.Session : Execution.Shard);
        init => _execution = value;
    }

    private readonly Execution? _execution;
    public CommandHandler? Handler { get; init; }
    public SessionHandler? SessionHandler { get; init; }
    public KeyFinder? KeyFinder { get; init; }

    /// <summary>A session command that observes or changes what commands sent before it did (INFO, CLIENT KILL, SELECT...):
    /// the session waits for the replies of everything before it.</summary>
    public bool Barrier { get; init; }

    /// <summary>Redis's CMD_PROTECTED (DEBUG): refused by the session unless enable-debug-command allows the
    /// connection (Session.ConnectionGate.RejectProtected).</summary>
    public bool Protected { get; init; }

    public string Group { get; init; } = "generic";
    public string Summary { get; init; } = "";
    public string Since { get; init; } = "1.0.0";
    public string Complexity { get; init; } = "";
    /// <summary>The usage line after the command's name, as Redis's documentation writes it ("key value [NX | XX]");
    /// COMMAND DOCS derives its "arguments" from it (see Server.CommandSyntax for the notation). Empty = none.</summary>
    public string Syntax { get; init; } = "";
    /// <summary>COMMAND DOCS "history": (version, what changed), oldest first.</summary>
    public (string Version, string Change)[] History { get; init; } = [];
    /// <summary>COMMAND DOCS "doc_flags": "deprecated" and/or "syscmd".</summary>
    public string[] DocFlags { get; init; } = [];
    /// <summary>COMMAND DOCS "deprecated_since": the version that deprecated the command (with DocFlags "deprecated").</summary>
    public string DeprecatedSince { get; init; } = "";
    /// <summary>COMMAND DOCS "replaced_by": what to use instead of a deprecated command.</summary>
    public string ReplacedBy { get; init; } = "";
    /// <summary>Key-spec flags per key (e.g. "RW access update"), for COMMAND INFO / DOCS.</summary>
    public string[] KeySpecFlags { get; init; } = [];
    /// <summary>Per key spec, the notes COMMAND INFO shows, when Redis's spec has some (SET: "RW and ACCESS due to the
    /// optional `GET` argument").</summary>
    public string?[] KeySpecNotes { get; init; } = [];
    /// <summary>Per key spec, how its keys are found when FirstKey/LastKey/Step cannot say it (numkeys, keywords), in
    /// Redis's key-spec terms: a begin search ("index N", "keyword WORD STARTFROM" or "unknown") then a find-keys part
    /// ("range LASTKEY KEYSTEP LIMIT", "keynum KEYNUMIDX FIRSTKEY KEYSTEP" or "unknown"); e.g. ZUNIONSTORE's sources
    /// "index 2 keynum 0 1 1", XREAD's "keyword STREAMS 1 range -1 1 2". Empty or missing = derived from the range.</summary>
    public string[] KeySpecSearch { get; init; } = [];
    /// <summary>For commands whose key flags depend on the request (Redis's variable_flags): the flags of key number
    /// <c>ordinal</c> of <c>args</c> (e.g. "OW update"), or null for the declared ones.</summary>
    public Func<byte[][], int, string?>? VariableKeyFlags { get; init; }

    /// <summary>Command tips (e.g. "nondeterministic_output", "request_policy:all_shards").</summary>
    public string[] Tips { get; init; } = [];

    public CommandDef? Parent { get; internal set; }
    public Dictionary<string, CommandDef>? Subcommands { get; internal set; }
    public int Id { get; internal set; }

    public CommandStats Stats { get; } = new();

    /// <summary>Name as Redis shows it in errors: "get", "client|kill".</summary>
    public string FullName => Name;

    public bool IsWrite => (Flags & CommandFlags.Write) != 0;
    public bool HasKeys => FirstKey > 0 || KeyFinder != null;

    /// <summary>ACL categories: the declared ones plus those implied by flags, as Redis derives them.</summary>
    public AclCategories Acl
    {
        get
        {
            var acl = DeclaredAcl;
            if ((Flags & CommandFlags.Write) != 0) acl |= AclCategories.Write;
            if ((Flags & CommandFlags.ReadOnly) != 0 && (acl & AclCategories.Scripting) == 0) acl |= AclCategories.Read;
            if ((Flags & CommandFlags.Admin) != 0) acl |= AclCategories.Admin | AclCategories.Dangerous;
            if ((Flags & CommandFlags.PubSub) != 0) acl |= AclCategories.PubSub;
            if ((Flags & CommandFlags.Fast) != 0) acl |= AclCategories.Fast;
            if ((Flags & CommandFlags.Blocking) != 0) acl |= AclCategories.Blocking;
            if ((acl & AclCategories.Fast) == 0) acl |= AclCategories.Slow;
            return acl;
        }
    }

    public bool ArityOk(int argc) => Arity >= 0 ? argc == Arity : argc >= -Arity;

    /// <summary>Appends the indexes of the key arguments of <paramref name="args"/>.</summary>
    public void GetKeys(byte[][] args, List<int> keyIndexes)
    {
        if (KeyFinder != null)
        {
            KeyFinder(args, keyIndexes);
            return;
        }
        if (FirstKey <= 0) return;
        var last = LastKey >= 0 ? LastKey : args.Length + LastKey;
        for (var i = FirstKey; i <= last && i < args.Length; i += Step) keyIndexes.Add(i);
    }
}

public sealed class CommandStats
{
    public long Calls;
    public long Microseconds;
    public long RejectedCalls;
    public long FailedCalls;

    public void Reset()
    {
        Calls = 0;
        Microseconds = 0;
        RejectedCalls = 0;
        FailedCalls = 0;
    }
}
