using System.Security.Cryptography;
using System.Text;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Keyspace;

namespace AkkaRedis.Actors.Session;

/// <summary>Connection commands: run in the session stage against the connection's own state.</summary>
public static class ConnectionCommands
{
    /// <summary>The version HELLO reports.</summary>
    public const string RedisVersion = Server.ServerVersion.Redis;

    public static void Register(CommandTable t)
    {
        t.Add(new("ping", -1, F("fast"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Ping,
        });
        t.Add(new("echo", 2, F("loading stale fast"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)(c => c.Reply.Bulk(c.Args[1])),
        });
        // Barrier: the commands sent before it must run in the database that was selected when they were sent.
        t.Add(new("select", 2, F("loading stale fast"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Select, Barrier = true,
        });
        t.Add(new("quit", -1, F("noscript loading stale fast no_auth allow_busy"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Quit, Barrier = true,
        });
        // Barrier for the same reason as SELECT: RESET changes the database and the protocol of later replies.
        t.Add(new("reset", 1, F("noscript loading stale fast no_auth allow_busy"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Reset, Barrier = true,
        });
        // No barrier: whether later commands of the batch may run is decided in order, in the session.
        t.Add(new("auth", -2, F("noscript loading stale fast no_auth allow_busy"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Auth,
        });
        // Barrier: the replies of the commands sent before HELLO keep the protocol they were sent under.
        t.Add(new("hello", -1, F("noscript loading stale fast no_auth allow_busy"), 0, 0, 0, A("connection"))
        {
            SessionHandler = (SessionHandler)Hello, Barrier = true,
        });
    }

    private static void Ping(SessionCall c)
    {
        // Arity is -1 so that PING inside MULTI or a subscription answers this error itself, as Redis does.
        if (c.Argc > 2)
        {
            c.Reply.Error(CommandTable.ArityError(c.Command));
            return;
        }
        if (c.Client.IsPubSub && c.Reply.Protocol == 2)
        {
            // A RESP2 subscriber can only receive arrays.
            c.Reply.ArrayHeader(2);
            c.Reply.Bulk("pong"u8);
            c.Reply.Bulk(c.Argc == 2 ? c.Args[1] : []);
            return;
        }
        if (c.Argc == 2) c.Reply.Bulk(c.Args[1]);
        else c.Reply.SimpleString("PONG"u8);
    }

    private static void Select(SessionCall c)
    {
        if (!RedisNumbers.TryParseLong(c.Args[1], out var db))
        {
            c.Reply.Error(Errors.NotInteger);
            return;
        }
        if (db > int.MaxValue || db < int.MinValue)
        {
            c.Reply.Error("ERR value is out of range, value must between -2147483648 and 2147483647");
            return;
        }
        if (db < 0 || db >= c.Server.Config.Databases)
        {
            c.Reply.Error(Errors.DbIndexOutOfRange);
            return;
        }
        c.Client.Db = (int)db;
        c.Reply.Ok();
    }

    private static void Quit(SessionCall c)
    {
        c.Reply.Ok();
        c.CloseAfterReply = true;
    }

    private static void Reset(SessionCall c)
    {
        if (c.Client.IsMaster || (c.Client.IsReplica && !c.Client.IsMonitor))
        {
            c.Reply.Error("ERR can only reset normal client connections");
            return;
        }
        IntrospectionCommands.StopMonitoring(c);
        ClientTrackingControl.Disable(c.Server, c.Client); // clearClientConnectionState
        PubSubCommands.UnsubscribeAll(c.Client);
        c.Client.ResetConnectionState(DefaultUserNeedsPassword(c));
        c.RepliesTurnedOn = true;
        c.Reply.Protocol = 2;
        c.Reply.SimpleString("RESET"u8);
    }

    /// <summary>What replaces a password (and AUTH's user name) in the request once the handler has read it, so that
    /// nothing that echoes requests after they ran (MONITOR, SLOWLOG, traces, logs) can show it: Redis's
    /// redactClientCommandArgument.</summary>
    public static readonly byte[] RedactedArgument = "(redacted)"u8.ToArray();

    public const string WrongPassError = "WRONGPASS invalid username-password pair or user is disabled.";

    private static void Auth(SessionCall c)
    {
        if (c.Argc > 3)
        {
            c.Reply.Error(Errors.Syntax);
            return;
        }
        var args = c.Args;
        var user = c.Argc == 3 ? args[1] : DefaultUserName;
        var password = args[c.Argc - 1];
        args[1] = RedactedArgument;
        if (c.Argc == 3) args[2] = RedactedArgument;
        // The old one-argument form with a default user that has no password is most likely a configuration mistake.
        if (c.Argc == 2 && !DefaultUserNeedsPassword(c))
        {
            c.Reply.Error("ERR AUTH <password> called without any password configured for the default user. " +
                          "Are you sure your configuration is correct?");
            return;
        }
        if (Authenticate(c, user, password)) c.Reply.Ok();
        else c.Reply.Error(WrongPassError);
    }

    private static readonly byte[] DefaultUserName = "default"u8.ToArray();

    private static void Hello(SessionCall c)
    {
        long protocol = 0;
        var next = 1;
        if (c.Argc >= 2)
        {
            if (!RedisNumbers.TryParseLong(c.Args[next++], out protocol))
            {
                c.Reply.Error("ERR Protocol version is not an integer or out of range");
                return;
            }
            if (protocol < 2 || protocol > 3)
            {
                c.Reply.Error("NOPROTO unsupported protocol version");
                return;
            }
        }

        // As Redis 7.0, each option takes effect as it is parsed: a later bad option leaves an earlier AUTH or
        // SETNAME applied.
        for (var j = next; j < c.Argc; j++)
        {
            var moreArgs = c.Argc - 1 - j;
            if (c.ArgIs(j, "auth") && moreArgs >= 2)
            {
                var user = c.Args[j + 1];
                var password = c.Args[j + 2];
                c.Args[j + 1] = RedactedArgument;
                c.Args[j + 2] = RedactedArgument;
                if (!Authenticate(c, user, password))
                {
                    c.Reply.Error(WrongPassError);
                    return;
                }
                j += 2;
            }
            else if (c.ArgIs(j, "setname") && moreArgs >= 1)
            {
                if (!TrySetName(c, c.Args[j + 1])) return;
                j++;
            }
            else
            {
                c.Reply.Error($"ERR Syntax error in HELLO option '{CString.Text(c.Args[j])}'");
                return;
            }
        }

        if (!c.Client.Authenticated)
        {
            c.Reply.Error("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO " +
                          "AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol " +
                          "version at the same time");
            return;
        }
        if (protocol != 0)
        {
            c.Client.Protocol = (int)protocol;
            c.Reply.Protocol = (int)protocol;
        }
        var w = c.Reply;
        w.MapHeader(7);
        w.Bulk("server"u8);
        w.Bulk("redis"u8);
        w.Bulk("version"u8);
        w.Bulk(RedisVersion);
        w.Bulk("proto"u8);
        w.Integer(c.Client.Protocol);
        w.Bulk("id"u8);
        w.Integer(c.Client.Id);
        w.Bulk("mode"u8);
        w.Bulk("standalone"u8);
        w.Bulk("role"u8);
        w.Bulk("master"u8);
        w.Bulk("modules"u8);
        w.ArrayHeader(0);
    }

    internal static bool DefaultUserNeedsPassword(SessionCall c) => ConnectionGate.DefaultUserNeedsPassword(c.Server.Config);

    /// <summary>Redis's ACLAuthenticateUser with only the default user defined: without requirepass it takes any
    /// password ("nopass"). The comparison takes the same time wherever the passwords differ.</summary>
    internal static bool Authenticate(SessionCall c, ReadOnlySpan<byte> user, ReadOnlySpan<byte> password)
    {
        if (!user.SequenceEqual("default"u8)) return false;
        var required = c.Server.Config.RequirePass;
        // Compared as hashes, as Redis does, so that neither the content nor the length shows in the timing.
        if (required != null && !CryptographicOperations.FixedTimeEquals(SHA256.HashData(password), SHA256.HashData(Encoding.UTF8.GetBytes(required))))
            return false;
        c.Client.User = "default";
        c.Client.Authenticated = true;
        return true;
    }

    /// <summary>Redis's clientSetName: an empty name removes it; otherwise only '!'..'~' are allowed so that CLIENT LIST
    /// stays splittable on spaces. Replies the error itself.</summary>
    /// <summary>Redis's clientSetNameOrReply: printable ASCII without spaces; an empty name clears it.</summary>
    internal static bool TrySetName(SessionCall c, ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (b < '!' || b > '~')
            {
                c.Reply.Error("ERR Client names cannot contain spaces, newlines or special characters.");
                return false;
            }
        }
        c.Client.Name = name.Length == 0 ? null : Encoding.ASCII.GetString(name);
        return true;
    }
}
