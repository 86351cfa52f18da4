using AkkaRedis.Net.Resp;
using System.Text;

namespace AkkaRedis.Actors.Server;

/// <summary>One SLOWLOG GET entry, with its arguments already trimmed as Redis stores them.</summary>
public sealed record SlowLogEntry(long Id, long UnixSeconds, long DurationMicros, byte[][] Args, string PeerId, string ClientName);

/// <summary>
/// The slow log: the latest entries whose command ran at least slowlog-log-slower-than µs (negative disables it,
/// 0 logs everything), newest first, at most slowlog-max-len of them. Shards, the Transaction actor and sessions all
/// push into it, so it is locked; it is only touched when a command was slow.
/// </summary>
public sealed class SlowLog
{
    /// <summary>Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING.</summary>
    public const int MaxArgc = 32;
    public const int MaxString = 128;

    private readonly object _lock = new();
    // Newest last; trimmed from the front.
    private readonly LinkedList<SlowLogEntry> _entries = new();
    private readonly Func<long> _maxLen;
    private long _nextId;

    public SlowLog(Func<long> maxLen) => _maxLen = maxLen;

    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    public void Push(CommandArgs args, long durationMicros, string peerId, string clientName)
    {
        var trimmed = TrimArgs(args);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        lock (_lock)
        {
            _entries.AddLast(new SlowLogEntry(_nextId++, now, durationMicros, trimmed, peerId, clientName));
            var max = _maxLen();
            while (_entries.Count > max) _entries.RemoveFirst();
        }
    }

    /// <summary>The newest <paramref name="count"/> entries, newest first.</summary>
    public List<SlowLogEntry> Newest(long count)
    {
        lock (_lock)
        {
            var list = new List<SlowLogEntry>((int)Math.Min(count, _entries.Count));
            for (var node = _entries.Last; node != null && list.Count < count; node = node.Previous) list.Add(node.Value);
            return list;
        }
    }

    public void Reset()
    {
        lock (_lock) _entries.Clear();
    }

    /// <summary>Redis's slowlogCreateEntry: at most 32 arguments, the last one then saying how many more there were;
    /// each argument longer than 128 bytes cut there, followed by how many more bytes it had.</summary>
    public static byte[][] TrimArgs(CommandArgs args)
    {
        var argc = Math.Min(args.Length, MaxArgc);
        var result = new byte[argc][];
        for (var j = 0; j < argc; j++)
        {
            if (argc != args.Length && j == argc - 1)
            {
                result[j] = Encoding.ASCII.GetBytes($"... ({args.Length - argc + 1} more arguments)");
            }
            else if (args[j].Length > MaxString)
            {
                var suffix = Encoding.ASCII.GetBytes($"... ({args[j].Length - MaxString} more bytes)");
                var s = new byte[MaxString + suffix.Length];
                args[j].Span[..MaxString].CopyTo(s);
                suffix.CopyTo(s, MaxString);
                result[j] = s;
            }
            else result[j] = args[j].ToArray(); // the request's memory goes back to the pool once it is answered
        }
        return result;
    }
}
