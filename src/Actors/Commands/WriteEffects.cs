using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// The write effects of the commands run on one shard (or under one Transaction actor hold): the deterministic
/// commands that replay them on a replica or from the AOF, as Redis 7.0 propagates them (call() with
/// also_propagate, rewriteClientCommandVector): <c>SET k v EX 10</c> becomes <c>SET k v PXAT &lt;ms&gt;</c>, an expired
/// key becomes <c>DEL k</c>, a write that changed nothing propagates nothing. Encoded as RESP arrays, the form
/// replicas and the AOF take, each with the database it applies to.
/// </summary>
/// <remarks>
/// Recording costs nothing while <see cref="Enabled"/> is off (nobody consumes the stream). Handlers say what
/// they changed: <see cref="ExecContext.Propagate()"/> for "as received", or a rewritten command built with
/// <see cref="ExecContext.Effect"/>.
/// </remarks>
public sealed class WriteEffects
{
    private readonly RespWriter _bytes = new(1024);
    private readonly List<Entry> _entries = new();

    /// <summary>One effect: a complete RESP command in <see cref="Bytes"/>[Start..End), to run in database Db.</summary>
    public readonly record struct Entry(int Db, int Start, int End);

    /// <summary>Whether anything consumes effects now; when off, recording does nothing.</summary>
    public bool Enabled { get; set; }

    public int Count => _entries.Count;
    public IReadOnlyList<Entry> Entries => _entries;
    public ReadOnlySpan<byte> Bytes => _bytes.Written;

    public void Clear()
    {
        _bytes.Reset();
        _entries.Clear();
    }

    /// <summary>The request exactly as the client sent it (argument case kept, as Redis propagates c->argv).</summary>
    public void Verbatim(int db, CommandArgs args)
    {
        if (!Enabled) return;
        var start = _bytes.Length;
        _bytes.ArrayHeader(args.Length);
        for (var i = 0; i < args.Length; i++) _bytes.Bulk(args[i].Span);
        _entries.Add(new Entry(db, start, _bytes.Length));
    }

    /// <summary>
    /// Wraps the effects recorded since entry <paramref name="first"/> (one command's) in MULTI ... EXEC when there are
    /// several, as Redis 7.0's propagatePendingCommands does with a command's also_propagate array: an expired key
    /// that a write command deleted on access (DEL k) and the command's own effect, a cross-shard DEL that found
    /// expired keys. MULTI goes in the first effect's database and EXEC in the last one's, so neither brings a SELECT.
    /// </summary>
    public void WrapAsTransaction(int first)
    {
        if (!Enabled || _entries.Count - first < 2) return;
        var start = _bytes.Length;
        _bytes.ArrayHeader(1);
        _bytes.Bulk("MULTI"u8);
        _entries.Insert(first, new Entry(_entries[first].Db, start, _bytes.Length));
        start = _bytes.Length;
        _bytes.ArrayHeader(1);
        _bytes.Bulk("EXEC"u8);
        _entries.Add(new Entry(_entries[^1].Db, start, _bytes.Length));
    }

    /// <summary>Forgets the effects recorded from entry <paramref name="count"/> on (a script's command run after
    /// <c>redis.set_repl(redis.REPL_NONE)</c>); their bytes stay until <see cref="Clear"/>.</summary>
    public void Truncate(int count)
    {
        if (count < _entries.Count) _entries.RemoveRange(count, _entries.Count - count);
    }

    /// <summary>Starts a rewritten command of <paramref name="argc"/> arguments; add exactly that many.</summary>
    public Builder Begin(int db, int argc)
    {
        if (!Enabled) return default;
        var start = _bytes.Length;
        _bytes.ArrayHeader(argc);
        return new Builder(this, db, argc, start);
    }

    /// <summary>Appends the arguments of one rewritten command; a default instance (recording off) ignores them.</summary>
    public struct Builder
    {
        private readonly WriteEffects? _owner;
        private readonly int _db;
        private readonly int _start;
        private int _left;

        internal Builder(WriteEffects owner, int db, int argc, int start)
        {
            _owner = owner;
            _db = db;
            _left = argc;
            _start = start;
        }

        public Builder Arg(ReadOnlySpan<byte> value)
        {
            if (_owner == null) return this;
            _owner._bytes.Bulk(value);
            return Done();
        }

        public Builder Arg(string ascii)
        {
            if (_owner == null) return this;
            _owner._bytes.Bulk(ascii);
            return Done();
        }

        public Builder Arg(long value)
        {
            if (_owner == null) return this;
            _owner._bytes.BulkInteger(value);
            return Done();
        }

        private Builder Done()
        {
            if (--_left == 0) _owner!._entries.Add(new Entry(_db, _start, _owner._bytes.Length));
            return this;
        }
    }
}
