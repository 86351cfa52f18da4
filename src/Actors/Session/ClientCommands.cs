using System.Globalization;
using System.Text;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Storage;

namespace AkkaRedis.Actors.Session;

/// <summary>CLIENT and its subcommands: the connection's own state, and other connections (LIST, KILL, UNBLOCK).</summary>
public static class ClientCommands
{
    public static void Register(CommandTable t)
    {
        var client = t.Add(new("client", -2, F(""), 0, 0, 0, A("")));
        const string own = "noscript loading stale";
        const string admin = "admin noscript loading stale";
        t.AddSub(client, new("caching", 3, F(own), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Caching,
        });
        t.AddSub(client, new("getname", 2, F(own), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)GetName,
        });
        t.AddSub(client, new("getredir", 2, F(own), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)GetRedir,
        });
        t.AddSub(client, new("help", 2, F("loading stale"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Help,
        });
        t.AddSub(client, new("id", 2, F(own), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)(c => c.Reply.Integer(c.Client.Id)),
        });
        t.AddSub(client, new("info", 2, F(own), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Info,
        });
        t.AddSub(client, new("kill", -3, F(admin), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Kill,
        });
        t.AddSub(client, new("list", -2, F(admin), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)List,
        });
        t.AddSub(client, new("no-evict", 3, F(admin), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)NoEvict,
        });
        t.AddSub(client, new("pause", -3, F(admin), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Pause,
        });
        t.AddSub(client, new("reply", 3, F(own), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Reply,
        });
        t.AddSub(client, new("setname", 3, F(own), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)SetName,
        });
        // Barrier: the keys read by the commands sent before it are tracked as tracking was when they were sent.
        t.AddSub(client, new("tracking", -3, F(own), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Tracking, Barrier = true,
        });
        t.AddSub(client, new("trackinginfo", 2, F(own), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)TrackingInfo,
        });
        t.AddSub(client, new("unblock", -3, F(admin), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Unblock,
        });
        t.AddSub(client, new("unpause", 2, F(admin), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Unpause,
        });
    }

    private static string Text(ReadOnlySpan<byte> arg) => Encoding.UTF8.GetString(arg);

    /// <summary>Redis's addReplySubcommandSyntaxError, for subcommands whose arity the table cannot express.</summary>
    private static void SubcommandSyntaxError(SessionCall c) => c.Reply.Error(CommandTable.SubcommandSyntaxError(c.Args));

    // ---- the connection's own state ----

    private static void GetName(SessionCall c)
    {
        var name = c.Client.Name;
        if (name == null) c.Reply.NullBulk();
        else c.Reply.Bulk(name);
    }

    private static void SetName(SessionCall c)
    {
        if (ConnectionCommands.TrySetName(c, c.Args[2])) c.Reply.Ok();
    }

    private static void Info(SessionCall c)
    {
        var sb = new StringBuilder(300);
        AppendClientInfo(sb, c.Client, c, ServerContext.UnixMs());
        sb.Append('\n');
        c.Reply.Verbatim(sb.ToString());
    }

    private static void Reply(SessionCall c)
    {
        if (c.ArgIs(2, "on"))
        {
            c.Client.ReplyMode = ReplyMode.On;
            c.RepliesTurnedOn = true;
            c.Reply.Ok();
        }
        else if (c.ArgIs(2, "off"))
        {
            c.Client.ReplyMode = ReplyMode.Off;
            c.SuppressReply = true;
        }
        else if (c.ArgIs(2, "skip"))
        {
            if (c.Client.ReplyMode != ReplyMode.Off) c.Client.ReplyMode = ReplyMode.Skip;
            c.SuppressReply = true;
        }
        else c.Reply.Error(Errors.Syntax);
    }

    private static void NoEvict(SessionCall c)
    {
        if (c.ArgIs(2, "on")) c.Client.NoEvict = true;
        else if (c.ArgIs(2, "off")) c.Client.NoEvict = false;
        else
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        c.Reply.Ok();
    }

    private static readonly string[] HelpLines =
    [
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
    ];

    private static void Help(SessionCall c)
    {
        HelpReply.Write(c.Reply, "CLIENT", HelpLines);
    }

    // ---- other connections ----

    /// <summary>Redis's getClientTypeByName.</summary>
    private static bool TryParseType(ReadOnlySpan<byte> arg, out ClientType type)
    {
        type = ClientType.Normal;
        if (Keywords.Is(arg, "normal")) type = ClientType.Normal;
        else if (Keywords.Is(arg, "slave") || Keywords.Is(arg, "replica")) type = ClientType.Replica;
        else if (Keywords.Is(arg, "pubsub")) type = ClientType.PubSub;
        else if (Keywords.Is(arg, "master")) type = ClientType.Master;
        else return false;
        return true;
    }

    private static void List(SessionCall c)
    {
        ClientType? type = null;
        var now = ServerContext.UnixMs();
        var sb = new StringBuilder(300);
        if (c.Argc == 4 && c.ArgIs(2, "type"))
        {
            if (!TryParseType(c.Args[3], out var t))
            {
                c.Reply.Error($"ERR Unknown client type '{Text(c.Args[3])}'");
                return;
            }
            type = t;
        }
        else if (c.Argc > 3 && c.ArgIs(2, "id"))
        {
            // Listed in the order asked, duplicates included, unknown ids skipped.
            for (var j = 3; j < c.Argc; j++)
            {
                if (!RedisNumbers.TryParseLong(c.Args[j], out var id))
                {
                    c.Reply.Error("ERR Invalid client ID");
                    return;
                }
                var found = c.Server.Clients.Find(id);
                if (found == null || found.Closing) continue;
                AppendClientInfo(sb, found, c, now);
                sb.Append('\n');
            }
            c.Reply.Verbatim(sb.ToString());
            return;
        }
        else if (c.Argc != 2)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        foreach (var other in c.Server.Clients.All)
        {
            if (other.Closing || (type != null && other.Type != type)) continue;
            AppendClientInfo(sb, other, c, now);
            sb.Append('\n');
        }
        c.Reply.Verbatim(sb.ToString());
    }

    private static void Kill(SessionCall c)
    {
        string? addr = null, laddr = null;
        var filterUser = false;
        ClientType? type = null;
        long id = 0;
        var skipMe = true;
        if (c.Argc == 3)
        {
            // The old form: CLIENT KILL addr:port, which may kill the caller itself.
            addr = Text(c.Args[2]);
            skipMe = false;
        }
        else
        {
            for (var i = 2; i < c.Argc; i += 2)
            {
                var moreArgs = c.Argc > i + 1;
                if (c.ArgIs(i, "id") && moreArgs)
                {
                    if (!RedisNumbers.TryParseLong(c.Args[i + 1], out id) || id < 1)
                    {
                        c.Reply.Error("ERR client-id should be greater than 0");
                        return;
                    }
                }
                else if (c.ArgIs(i, "type") && moreArgs)
                {
                    if (!TryParseType(c.Args[i + 1], out var t))
                    {
                        c.Reply.Error($"ERR Unknown client type '{Text(c.Args[i + 1])}'");
                        return;
                    }
                    type = t;
                }
                else if (c.ArgIs(i, "addr") && moreArgs) addr = Text(c.Args[i + 1]);
                else if (c.ArgIs(i, "laddr") && moreArgs) laddr = Text(c.Args[i + 1]);
                else if (c.ArgIs(i, "user") && moreArgs)
                {
                    // Only the default user exists until ACL users do.
                    if (!c.Args[i + 1].AsSpan().SequenceEqual("default"u8))
                    {
                        c.Reply.Error($"ERR No such user '{Text(c.Args[i + 1])}'");
                        return;
                    }
                    filterUser = true;
                }
                else if (c.ArgIs(i, "skipme") && moreArgs)
                {
                    if (c.ArgIs(i + 1, "yes")) skipMe = true;
                    else if (c.ArgIs(i + 1, "no")) skipMe = false;
                    else
                    {
                        c.Reply.Error(Errors.Syntax);
                        return;
                    }
                }
                else
                {
                    c.Reply.Error(Errors.Syntax);
                    return;
                }
            }
        }

        var killed = 0;
        var killMe = false;
        foreach (var other in c.Server.Clients.All)
        {
            if (other.Closing) continue;
            if (addr != null && other.Address != addr) continue;
            if (laddr != null && other.LocalAddress != laddr) continue;
            if (type != null && other.Type != type) continue;
            if (id != 0 && other.Id != id) continue;
            if (filterUser && other.User != "default") continue;
            if (other == c.Client)
            {
                if (skipMe) continue;
                killMe = true;
            }
            else other.Close();
            killed++;
        }

        if (c.Argc == 3)
        {
            if (killed == 0) c.Reply.Error("ERR No such client");
            else c.Reply.Ok();
        }
        else c.Reply.Integer(killed);
        if (killMe) c.CloseAfterReply = true;
    }

    private static void Unblock(SessionCall c)
    {
        if (c.Argc > 4)
        {
            SubcommandSyntaxError(c);
            return;
        }
        var withError = false;
        if (c.Argc == 4)
        {
            if (c.ArgIs(3, "timeout")) withError = false;
            else if (c.ArgIs(3, "error")) withError = true;
            else
            {
                c.Reply.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
                return;
            }
        }
        if (!RedisNumbers.TryParseLong(c.Args[2], out var id))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        var target = c.Server.Clients.Find(id);
        var unblock = target?.Unblock;
        c.Reply.Integer(target != null && target.IsBlocked && unblock != null && unblock(withError) ? 1 : 0);
    }

    private static void Pause(SessionCall c)
    {
        if (c.Argc > 4)
        {
            SubcommandSyntaxError(c);
            return;
        }
        if (c.Argc == 4 && !c.ArgIs(3, "write") && !c.ArgIs(3, "all"))
        {
            c.Reply.Error("ERR CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
        if (!RedisNumbers.TryParseLong(c.Args[2], out var timeout))
        {
            c.Reply.Error("ERR timeout is not an integer or out of range");
            return;
        }
        if (timeout < 0)
        {
            c.Reply.Error("ERR timeout is negative");
            return;
        }
        // pauseClients: commands that must wait are held by their sessions (SessionStage.ClientControl).
        var now = ServerContext.UnixMs();
        var mode = c.Argc == 4 && c.ArgIs(3, "write") ? ClientPause.Write : ClientPause.All;
        c.Server.Services.Pause.Pause(timeout > long.MaxValue - now ? long.MaxValue : now + timeout, mode, now);
        c.Reply.Ok();
    }

    private static void Unpause(SessionCall c)
    {
        c.Server.Services.Pause.Unpause();
        c.Reply.Ok();
    }

    // ---- client side caching (tracking.c, networking.c's clientCommand) ----

    private static void Tracking(SessionCall c)
    {
        long redirect = 0;
        bool bcast = false, optIn = false, optOut = false, noLoop = false;
        var prefixes = new List<string>();
        for (var j = 3; j < c.Argc; j++)
        {
            var moreArgs = c.Argc - 1 - j > 0;
            if (c.ArgIs(j, "redirect") && moreArgs)
            {
                j++;
                if (redirect != 0)
                {
                    c.Reply.Error("ERR A client can only redirect to a single other client");
                    return;
                }
                if (!RedisNumbers.TryParseLong(c.Args[j], out redirect))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return;
                }
                // Checked now only: the client may go away later (then the redirect is broken).
                var target = c.Server.Clients.Find(redirect);
                if (target == null || target.Closing)
                {
                    c.Reply.Error("ERR The client ID you want redirect to does not exist");
                    return;
                }
            }
            else if (c.ArgIs(j, "bcast")) bcast = true;
            else if (c.ArgIs(j, "optin")) optIn = true;
            else if (c.ArgIs(j, "optout")) optOut = true;
            else if (c.ArgIs(j, "noloop")) noLoop = true;
            else if (c.ArgIs(j, "prefix") && moreArgs)
            {
                j++;
                prefixes.Add(TrackingTable.KeyOf(c.Args[j]));
            }
            else
            {
                c.Reply.Error(Errors.Syntax);
                return;
            }
        }

        var client = c.Client;
        if (c.ArgIs(2, "off"))
        {
            ClientTrackingControl.Disable(c.Server, client);
            c.Reply.Ok();
            return;
        }
        if (!c.ArgIs(2, "on"))
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        var current = client.Tracking;
        if (!bcast && prefixes.Count > 0)
        {
            c.Reply.Error("ERR PREFIX option requires BCAST mode to be enabled");
            return;
        }
        if (current != null && current.Bcast != bcast)
        {
            c.Reply.Error("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
            return;
        }
        if (bcast && (optIn || optOut))
        {
            c.Reply.Error("ERR OPTIN and OPTOUT are not compatible with BCAST");
            return;
        }
        if (optIn && optOut)
        {
            c.Reply.Error("ERR You can't specify both OPTIN mode and OPTOUT mode");
            return;
        }
        if (current != null && ((optIn && current.OptOut) || (optOut && current.OptIn)))
        {
            c.Reply.Error("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
            return;
        }
        if (bcast && !CheckPrefixCollisions(c, current, prefixes)) return;
        ClientTrackingControl.Enable(c.Server, client, redirect, bcast, optIn, optOut, noLoop, prefixes);
        c.Reply.Ok();
    }

    /// <summary>Redis's checkPrefixCollisionsOrReply, quirk included: a collision among the given prefixes found after
    /// the first one is answered with its error and then tracking is enabled anyway (the function returns the index,
    /// which is true), so the client gets the error and +OK.</summary>
    private static bool CheckPrefixCollisions(SessionCall c, ClientTracking? current, List<string> prefixes)
    {
        for (var i = 0; i < prefixes.Count; i++)
        {
            if (current != null)
            {
                foreach (var existing in current.Prefixes)
                {
                    if (!ClientTrackingControl.Overlap(existing, prefixes[i])) continue;
                    c.Reply.Error($"ERR Prefix '{PrefixText(prefixes[i])}' overlaps with an existing prefix '{PrefixText(existing)}'. Prefixes for a single client must not overlap.");
                    return false;
                }
            }
            for (var j = i + 1; j < prefixes.Count; j++)
            {
                if (!ClientTrackingControl.Overlap(prefixes[i], prefixes[j])) continue;
                c.Reply.Error($"ERR Prefix '{PrefixText(prefixes[i])}' overlaps with another provided prefix '{PrefixText(prefixes[j])}'. Prefixes for a single client must not overlap.");
                return i != 0;
            }
        }
        return true;
    }

    /// <summary>A prefix as Redis's %s prints it (up to a NUL).</summary>
    private static string PrefixText(string prefix) => CString.Text(Encoding.Latin1.GetBytes(prefix));

    /// <summary>clientTrackingInfoCommand: flags, redirect (-1 off, 0 none) and BCAST prefixes.</summary>
    private static void TrackingInfo(SessionCall c)
    {
        var w = c.Reply;
        var t = c.Client.Tracking;
        w.MapHeader(3);
        w.Bulk("flags"u8);
        var flags = new List<string>(7);
        if (t == null) flags.Add("off");
        else
        {
            flags.Add("on");
            if (t.Bcast) flags.Add("bcast");
            if (t.OptIn) flags.Add("optin");
            if (t.OptOut) flags.Add("optout");
            if (t.Caching && t.OptIn) flags.Add("caching-yes");
            else if (t.Caching && t.OptOut) flags.Add("caching-no");
            if (t.NoLoop) flags.Add("noloop");
            if (t.BrokenRedirect) flags.Add("broken_redirect");
        }
        w.SetHeader(flags.Count);
        foreach (var f in flags) w.Bulk(f);
        w.Bulk("redirect"u8);
        w.Integer(t == null ? -1 : t.Redirect);
        w.Bulk("prefixes"u8);
        w.ArrayHeader(t?.Prefixes.Count ?? 0);
        if (t != null)
            foreach (var p in t.Prefixes) w.Bulk(Encoding.Latin1.GetBytes(p));
    }

    private static void GetRedir(SessionCall c) => c.Reply.Integer(c.Client.Tracking?.Redirect ?? -1);

    /// <summary>CLIENT CACHING YES (OPTIN) / NO (OPTOUT): for the next command only (see SessionStage.ClientControl).</summary>
    private static void Caching(SessionCall c)
    {
        var t = c.Client.Tracking;
        if (t == null)
        {
            c.Reply.Error("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
            return;
        }
        if (c.ArgIs(2, "yes"))
        {
            if (!t.OptIn)
            {
                c.Reply.Error("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
                return;
            }
        }
        else if (c.ArgIs(2, "no"))
        {
            if (!t.OptOut)
            {
                c.Reply.Error("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
                return;
            }
        }
        else
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        t.Caching = true;
        c.Reply.Ok();
    }

    // ---- CLIENT LIST / CLIENT INFO line ----

    /// <summary>Query buffer space Redis shows free after its first read (PROTO_IOBUF_LEN plus sds headroom).</summary>
    private const long QueryBufferCapacity = 20474;
    private const long ReplyBufferSize = 1024;
    /// <summary>The client structure's own size in Redis's tot-mem.</summary>
    private const long ClientStructSize = 774;

    /// <summary>Appends one line of CLIENT LIST (Redis 7.0's catClientInfoString), without the newline. The caller's
    /// own line shows the request being run (qbuf, argv-mem), as in Redis; other connections are between requests.</summary>
    internal static void AppendClientInfo(StringBuilder sb, ClientSession cl, SessionCall c, long nowMs)
    {
        var self = cl == c.Client;
        long qbuf = 0, argvMem = 0;
        if (self)
        {
            // Redis still holds the request being run in its query buffer, with what was pipelined after it.
            qbuf = cl.QueryBufferBytes + RespLength(c.Args);
            foreach (var a in c.Args) argvMem += a.Length;
        }
        var qbufFree = Math.Max(0, QueryBufferCapacity - qbuf);
        var obl = Math.Max(0, cl.OutputBufferBytes);
        var totMem = qbuf + qbufFree + argvMem + ReplyBufferSize + ClientStructSize + obl;
        var nowSec = nowMs / 1000;
        var inv = CultureInfo.InvariantCulture;
        sb.Append("id=").Append(cl.Id.ToString(inv))
            .Append(" addr=").Append(cl.Address)
            .Append(" laddr=").Append(cl.LocalAddress)
            .Append(" fd=").Append((cl.Id + 7).ToString(inv))
            .Append(" name=").Append(cl.Name ?? "")
            .Append(" age=").Append((nowSec - cl.CreatedAt / 1000).ToString(inv))
            .Append(" idle=").Append(Math.Max(0, nowSec - cl.LastInteraction / 1000).ToString(inv))
            .Append(" flags=");
        AppendFlags(sb, cl, self && c.CloseAfterReply);
        sb.Append(" db=").Append(cl.Db.ToString(inv))
            .Append(" sub=").Append(cl.Channels.ToString(inv))
            .Append(" psub=").Append(cl.Patterns.ToString(inv))
            .Append(" ssub=").Append(cl.ShardChannels.ToString(inv))
            .Append(" multi=").Append(cl.MultiQueued.ToString(inv))
            .Append(" qbuf=").Append(qbuf.ToString(inv))
            .Append(" qbuf-free=").Append(qbufFree.ToString(inv))
            .Append(" argv-mem=").Append(argvMem.ToString(inv))
            .Append(" multi-mem=0")
            .Append(" rbs=").Append(ReplyBufferSize.ToString(inv))
            .Append(" rbp=0")
            .Append(" obl=").Append(obl.ToString(inv))
            .Append(" oll=0 omem=").Append(cl.OutputMemory.ToString(inv))
            .Append(" tot-mem=").Append(totMem.ToString(inv))
            .Append(" events=r")
            .Append(" cmd=").Append(cl.LastCommand)
            .Append(" user=").Append(cl.User)
            .Append(" redir=").Append((cl.Tracking?.Redirect ?? -1).ToString(inv))
            .Append(" resp=").Append(cl.Protocol.ToString(inv));
    }

    /// <summary>Size of a request in RESP multibulk form.</summary>
    private static long RespLength(CommandArgs args)
    {
        long n = 3 + Digits(args.Length);
        foreach (var a in args) n += 5 + Digits(a.Length) + a.Length;
        return n;
    }

    private static int Digits(long v) => v < 10 ? 1 : (int)Math.Floor(Math.Log10(v)) + 1;

    /// <summary>The flags letters in Redis's order; "N" when none.</summary>
    private static void AppendFlags(StringBuilder sb, ClientSession cl, bool closeAfterReply)
    {
        var start = sb.Length;
        if (cl.IsReplica) sb.Append(cl.IsMonitor ? 'O' : 'S');
        else if (cl.IsMonitor) sb.Append('O');
        if (cl.IsMaster) sb.Append('M');
        if (cl.IsPubSub) sb.Append('P');
        if (cl.MultiQueued >= 0) sb.Append('x');
        if (cl.IsBlocked) sb.Append('b');
        if (cl.Tracking is { } tracking)
        {
            sb.Append('t');
            if (tracking.BrokenRedirect) sb.Append('R');
            if (tracking.Bcast) sb.Append('B');
        }
        if (cl.DirtyCas) sb.Append('d');
        if (closeAfterReply) sb.Append('c');
        if (cl.ReadOnlyMode) sb.Append('r');
        if (cl.NoEvict) sb.Append('e');
        if (sb.Length == start) sb.Append('N');
    }
}
