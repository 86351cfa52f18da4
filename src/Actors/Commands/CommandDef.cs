using AkkaRedis.Net.Resp;

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
    /// <summary>With every shard held by the Transaction actor (whole-keyspace writes: FLUSHALL, SWAPDB, DEBUG...).</summary>
    AllShards,
    /// <summary>Read-only whole-keyspace commands (DBSIZE, KEYS, RANDOMKEY): each shard computes its part
    /// (<see cref="CommandDef.Scatter"/>) without holding anything, the session merges them
    /// (<see cref="CommandDef.Gather"/>).</summary>
    ScatterGather,
    /// <summary>In the connection's session stage (connection state, server-wide state).</summary>
    Session,
    /// <summary>By a dedicated actor (PubSub, Replication, Persistence) named by <see cref="CommandDef.ActorName"/>:
    /// the session sends it the request (a Keyspace.TransactionRequest envelope) and waits for it to come back with
    /// the reply written, as for the Transaction actor.</summary>
    Actor,
}

/// <summary>A handler that runs against the keyspace (on a shard, or on shards held by the Transaction actor).</summary>
public delegate void CommandHandler(ExecContext ctx);

/// <summary>A command run in the connection's session that needs server-wide state only (SCRIPT LOAD, SCRIPT KILL,
/// FUNCTION KILL): declared by a family below the session layer as a <see cref="CommandDef.SessionHandler"/>; the
/// session calls it with the server's services.</summary>
public delegate void ServerHandler(CommandServices services, CommandArgs args, RespWriter reply);

/// <summary>Merges the parts the shards computed (in shard order) into the reply (scatter-gather).</summary>
public delegate void GatherHandler(object?[] parts, RespWriter reply);

/// <summary>Returns the argument indexes that are keys: Redis's getkeys_proc, only for commands whose key specs cannot
/// say where their keys are (an "unknown" or incomplete spec, e.g. SORT's BY/GET patterns); numkeys and keyword keys
/// are found from the key specs (<see cref="KeySpec.TryGetKeys"/>).</summary>
public delegate void KeyFinder(CommandArgs args, List<int> keyIndexes);

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

    /// <summary>A top-level command's name as ASCII bytes (<see cref="CommandTable.Resolve(CommandArgs, out string?, out CommandDef?, ref CommandDef?)"/>'s cache check).</summary>
    internal byte[] NameBytes { get; set; } = [];
    public int Arity { get; }
    public CommandFlags Flags { get; internal set; }
    public int FirstKey { get; }
    public int LastKey { get; }
    public int Step { get; }
    public AclCategories DeclaredAcl { get; }

    /// <summary>Shard unless declared otherwise; commands with a session handler run in the session.</summary>
    public Execution Execution
    {
        get => _execution ?? (SessionHandler != null ? Execution.Session : ActorName != null ? Execution.Actor : Execution.Shard);
        init => _execution = value;
    }

    private readonly Execution? _execution;
    public CommandHandler? Handler
    {
        get => _handler;
        init => _handler = value;
    }

    private CommandHandler? _handler;
    /// <summary>A Session.SessionHandler: typed in the Session layer, which this table (a layer below) cannot name;
    /// the session stage casts it back.</summary>
    public Delegate? SessionHandler { get; init; }
    public KeyFinder? KeyFinder { get; init; }

    /// <summary>
    /// For a command that touches keys neither its key specs nor its <see cref="KeyFinder"/> name (SORT's BY/GET
    /// patterns: Redis's getkeys_proc leaves them out; <c>PFMERGE dest</c> without sources, whose key specs find no key):
    /// true when the request touches no such key, or only keys in the hash slots of the argument indexes it appends (a
    /// pattern with a fixed hash tag, PFMERGE's dest); false when they may live on any shard: the session then runs the
    /// request with every shard held (Transaction actor), so the handler's <c>c.Db(key)</c> reaches the shard that
    /// owns each key. Routing only: COMMAND GETKEYS stays Redis's.
    /// </summary>
    public Func<CommandArgs, List<int>, bool>? RoutingKeys { get; init; }

    /// <summary>Scatter-gather: what one shard computes from the part of the keyspace its context holds (run on every
    /// shard, holding nothing). Under a hold of several shards (the Transaction actor, unit tests) the same function
    /// computes the whole answer in one part, so <see cref="Handler"/> is derived from the pair.</summary>
    public Func<ExecContext, object?>? Scatter { get; init; }
    public GatherHandler? Gather { get; init; }

    /// <summary>The argument that names a member of the first key's hash, set or sorted set (HSET's field, SADD's
    /// member); 0: none. Only a hint: a pipelined batch fetches those members' table slots together
    /// (<see cref="KeyPrefetch"/>).</summary>
    public int MemberArg { get; init; }

    /// <summary>For a keyless command that runs on one shard picked from its arguments (SCAN: the shard in its
    /// cursor): the shard index, given the request and the shard count.</summary>
    public Func<CommandArgs, int, int>? Route { get; init; }

    /// <summary>Execution.Actor: the dedicated actor that runs the command (a name in Keyspace.KeyspaceRefs.Dedicated).</summary>
    public string? ActorName { get; init; }

    /// <summary>
    /// A session command that observes or changes what commands sent before it did: the session waits for the
    /// replies of everything before it. The rule, derived from the declaration: a session command is a barrier when
    /// Redis counts it @dangerous (admin commands are, and INFO, LASTSAVE...: they read or change server-wide state
    /// that earlier commands of the batch may still be changing: stats, clients, config, slowlog, latency). Commands
    /// that change the connection's own state later commands depend on (SELECT, HELLO, RESET...) say
    /// <c>Barrier = true</c> with their reason. Commands that run on shards are barriers when their keys span shards
    /// (decided by the session per request).
    /// </summary>
    public bool Barrier
    {
        get => _barrier;
        init => _barrier = value;
    }

    /// <summary>Runs a script that may reach keys it did not declare (EVAL*, FCALL*): the session asks the script
    /// engine whether this one is known to, and then holds every shard for it (Scripting.LearnedRouting.NeedsEveryShard).</summary>
    public bool RunsScript { get; init; }

    /// <summary>May keep its shards held for a while after it ran (<see cref="ExecContext.HoldFor"/>: DEBUG SLEEP):
    /// never run holding shard gates on a session's thread (Keyspace.CrossShardRun), which cannot wait.</summary>
    public bool HoldsShards { get; init; }

    /// <summary>Redis's CMD_PROTECTED (DEBUG): refused by the session unless enable-debug-command allows the
    /// connection (Session.ConnectionGate.RejectProtected).</summary>
    public bool Protected { get; init; }

    private bool _barrier;

    /// <summary>Key-spec flags per key spec (e.g. "RW access update"); the specs themselves follow from
    /// FirstKey/LastKey/Step unless <see cref="KeySpecSearch"/> says otherwise (see <see cref="Commands.KeySpec.FromDeclaration"/>).</summary>
    public string[] KeySpecFlags { get; init; } = [];
    /// <summary>Per key spec, how its keys are found when FirstKey/LastKey/Step cannot say it (numkeys, keywords), in
    /// Redis's key-spec terms: a begin search ("index N", "keyword WORD STARTFROM" or "unknown") then a find-keys part
    /// ("range LASTKEY KEYSTEP LIMIT", "keynum KEYNUMIDX FIRSTKEY KEYSTEP" or "unknown"); e.g. ZUNIONSTORE's sources
    /// "index 2 keynum 0 1 1", XREAD's "keyword STREAMS 1 range -1 1 2". Empty or missing = derived from the range.</summary>
    public string[] KeySpecSearch { get; init; } = [];
    /// <summary>For commands whose key flags depend on the request (Redis's variable_flags): the flags of key number
    /// <c>ordinal</c> of <c>args</c> (e.g. "OW update"), or null for the declared ones.</summary>
    public Func<CommandArgs, int, string?>? VariableKeyFlags { get; init; }

    /// <summary>The key specs, derived once when the command is added to the table.</summary>
    public KeySpec[] KeySpecs { get; private set; } = [];

    /// <summary>The recorded COMMAND INFO / DOCS data of this command (null for a command Redis 7.0 does not have).</summary>
    public ReferenceEntry? Reference { get; internal set; }

    public CommandDef? Parent { get; internal set; }
    public Dictionary<string, CommandDef>? Subcommands { get; internal set; }
    public int Id { get; internal set; }

    /// <summary>Name as Redis shows it in errors: "get", "client|kill".</summary>
    public string FullName => Name;

    public bool IsWrite => (Flags & CommandFlags.Write) != 0;

    /// <summary>Redis's CMD_WRITE | CMD_MAY_REPLICATE. COMMAND INFO in 7.0 never prints may_replicate, so the table
    /// (declared from it) does not know it: these are 7.0's commands that have it (checked against redis-server
    /// 7.0.15 under CLIENT PAUSE WRITE and in EVAL_RO scripts; EVAL_RO, FCALL_RO, SCRIPT, XREAD, SORT_RO have not).</summary>
    public bool MayReplicate =>
        (Flags & (CommandFlags.Write | CommandFlags.MayReplicate)) != 0 ||
        Name is "publish" or "spublish" or "pfcount" or "eval" or "evalsha" or "fcall";
    /// <summary>Redis's doesCommandHaveKeys: a getkeys_proc, or a key spec that is not a "fake" key.</summary>
    public bool HasKeys => KeyFinder != null || KeySpecs.Any(s => !s.NotKey);

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
    public void GetKeys(CommandArgs args, List<int> keyIndexes) => GetKeys(args, keyIndexes, null);

    /// <summary>
    /// Redis's getKeysFromCommandWithSpecs: the keys its key specs find (<see cref="Commands.KeySpec.TryGetKeys"/>);
    /// when a spec cannot say, the command's <see cref="KeyFinder"/> (Redis's getkeys_proc), whose keys have no spec
    /// (-1 in <paramref name="specIndexes"/>). Redis prefers the getkeys_proc for variable_flags specs only for their
    /// flags; the positions are the same, and the flags come from <see cref="VariableKeyFlags"/>.
    /// </summary>
    public void GetKeys(CommandArgs args, List<int> keyIndexes, List<int>? specIndexes)
    {
        var start = keyIndexes.Count;
        var specStart = specIndexes?.Count ?? 0;
        if (KeySpecs.Length > 0 && KeySpec.TryGetKeys(KeySpecs, args, keyIndexes, specIndexes)) return;
        keyIndexes.RemoveRange(start, keyIndexes.Count - start);
        specIndexes?.RemoveRange(specStart, specIndexes.Count - specStart);
        if (KeyFinder == null) return;
        KeyFinder(args, keyIndexes);
        for (var i = start; specIndexes != null && i < keyIndexes.Count; i++) specIndexes.Add(-1);
    }

    /// <summary>
    /// Called once by the table when the command is added: derives its key specs, whether it is a barrier (see
    /// <see cref="Barrier"/>), and the movablekeys flag as Redis's
    /// populateCommandMovableKeys and populateCommandLegacyRangeSpec do: a getkeys_proc, a spec that is not
    /// "index + range", an incomplete spec, or range specs the legacy (first, last, step) cannot express (a step other
    /// than 1, or not consecutive).
    /// </summary>
    internal void Seal()
    {
        KeySpecs = KeySpec.FromDeclaration(this);
        if (_handler == null && Scatter is { } scatter && Gather is { } gather)
            _handler = c => gather([scatter(c)], c.Reply);
        if (Execution == Execution.Session && (Acl & AclCategories.Dangerous) != 0) _barrier = true; // the rule in Barrier's summary
        if (KeyFinder != null || !LegacyRangeCoversSpecs()) Flags |= CommandFlags.MovableKeys;
    }

    private bool LegacyRangeCoversSpecs()
    {
        if (KeySpecs.Length == 1 && KeySpecs[0] is { Begin: BeginSearch.Index, Find: FindKeys.Range } only) return !only.Incomplete;
        var previousLast = 0;
        foreach (var spec in KeySpecs)
        {
            if (spec.Begin != BeginSearch.Index || spec.Find != FindKeys.Range || spec.Incomplete) return false;
            if (spec.KeyStep != 1 || (previousLast != 0 && previousLast != spec.Start - 1)) return false;
            previousLast = spec.LastKey >= 0 ? spec.Start + spec.LastKey : spec.LastKey;
        }
        return true;
    }
}
