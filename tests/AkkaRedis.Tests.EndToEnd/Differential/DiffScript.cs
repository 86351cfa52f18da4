using System.Text;
using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.Differential;

public enum StepKind
{
    /// <summary>Send, read one reply from each server, compare.</summary>
    Reply,
    /// <summary>Send and read nothing (CLIENT REPLY OFF / SKIP); a stray reply shows up as a mismatch on the next step.</summary>
    NoReply,
    /// <summary>Send, compare the reply, then both servers must close the connection (QUIT).</summary>
    Closes,
    /// <summary>A SCAN with cursor 0 repeated until the cursor is 0 again; the sets of keys returned are compared.</summary>
    ScanAll,
    /// <summary>Like Reply, but when redis-server's reply is a RESP3 push frame, the reply that follows it belongs to
    /// the same command (DEBUG PROTOCOL push): both are read and compared as one.</summary>
    PushThenReply,
    /// <summary>[send]: send to both servers and read nothing yet (a blocking command); a later [read] on the same
    /// connection reads and compares its reply.</summary>
    Send,
    /// <summary>[read]: no command; read one reply or push frame from each server on the step's connection, compare.</summary>
    Read,
    /// <summary>[waitblocked] N: poll INFO clients on both servers until blocked_clients is N (deadline 10 s), so the
    /// next step runs only once the blocking commands sent before are really waiting.</summary>
    WaitBlocked,
}

public sealed record DiffStep(byte[][] Args, StepKind Kind, int Line)
{
    /// <summary>The connection the step runs on: 1 (the default) or [c2]..[c9], opened on first use (after the
    /// script's protocol prelude) on both servers.</summary>
    public int Conn { get; init; } = 1;

    public string Text => Resp.FormatCommand(Args);

    public static DiffStep Of(params string[] args) => new(Resp.Args(args), StepKind.Reply, 0);
}

/// <summary>
/// A hand-written differential script: one command per line, arguments split like redis-cli (quotes, \x escapes),
/// '#' starts a comment line. A line may start with markers: [noreply], [closes], [scanall], [push], [send], [read], [waitblocked] (see <see cref="StepKind"/>)
/// and a connection [c2]..[c9] (default 1), e.g. <c>[c2] [send] BLPOP q 0</c>, <c>[waitblocked] 1</c>, <c>[c3] LPUSH q a</c>, <c>[c2] [read]</c>.
/// </summary>
public sealed class DiffScript
{
    public string Family { get; }
    public string Name { get; }
    public IReadOnlyList<DiffStep> Steps { get; }
    /// <summary>Scripts that switch protocols themselves run only as written, not again after HELLO 3.</summary>
    public bool Resp2Only { get; init; }

    public DiffScript(string family, string name, string text)
    {
        Family = family;
        Name = name;
        Steps = Parse(text);
    }

    public DiffScript(string family, string name, IReadOnlyList<DiffStep> steps)
    {
        Family = family;
        Name = name;
        Steps = steps;
    }

    public override string ToString() => $"{Family}/{Name}";

    private static List<DiffStep> Parse(string text)
    {
        var steps = new List<DiffStep>();
        var lines = text.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var kind = StepKind.Reply;
            var conn = 1;
            for (var found = true; found;)
            {
                found = false;
                if (line.Length >= 4 && line.StartsWith("[c", StringComparison.Ordinal) && line[3] == ']' && line[2] is >= '1' and <= '9')
                {
                    conn = line[2] - '0';
                    line = line[4..].TrimStart();
                    found = true;
                }
                foreach (var (marker, k) in Markers)
                {
                    if (!line.StartsWith(marker, StringComparison.Ordinal)) continue;
                    kind = k;
                    line = line[marker.Length..].TrimStart();
                    found = true;
                }
            }
            steps.Add(new DiffStep(Resp.SplitArgs(line), kind, n + 1) { Conn = conn });
        }
        return steps;
    }

    private static readonly (string, StepKind)[] Markers =
    [
        ("[noreply]", StepKind.NoReply), ("[closes]", StepKind.Closes), ("[scanall]", StepKind.ScanAll), ("[push]", StepKind.PushThenReply),
        ("[send]", StepKind.Send), ("[read]", StepKind.Read), ("[waitblocked]", StepKind.WaitBlocked),
    ];

    /// <summary>Builds a script from generated commands (arity checks and the like).</summary>
    public static DiffScript FromCommands(string family, string name, IEnumerable<string[]> commands)
    {
        var steps = new List<DiffStep>();
        foreach (var c in commands) steps.Add(new DiffStep(Resp.Args(c), StepKind.Reply, 0));
        return new DiffScript(family, name, steps);
    }

    public static string Lines(params string[] lines)
    {
        var sb = new StringBuilder();
        foreach (var l in lines) sb.Append(l).Append('\n');
        return sb.ToString();
    }
}
