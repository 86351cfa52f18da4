using AkkaRedis.Actors.Session;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>Connection commands: run in the session stage against the connection's own state.</summary>
public static class ConnectionCommands
{
    public static void Register(CommandTable t)
    {
        t.Add(new("ping", -1, F("fast"), 0, 0, 0, A("connection"))
        {
            SessionHandler = Ping, Group = "connection", Summary = "Ping the server", Complexity = "O(1)",
            Tips = ["request_policy:all_shards", "response_policy:all_succeeded"],
        });
        t.Add(new("echo", 2, F("fast"), 0, 0, 0, A("connection"))
        {
            SessionHandler = c => c.Reply.Bulk(c.Args[1]), Group = "connection", Summary = "Echo the given string", Complexity = "O(1)",
        });
        t.Add(new("select", 2, F("loading stale fast"), 0, 0, 0, A("connection"))
        {
            SessionHandler = Select, Barrier = true, Group = "connection", Summary = "Change the selected database for the current connection",
            Since = "2.0.0", Complexity = "O(1)",
        });
        t.Add(new("quit", -1, F("noscript loading stale fast no_auth allow_busy"), 0, 0, 0, A("connection"))
        {
            SessionHandler = c => { c.Reply.Ok(); c.CloseAfterReply = true; }, Barrier = true, Group = "connection",
            Summary = "Close the connection", Complexity = "O(1)",
        });
    }

    private static void Ping(SessionCall c)
    {
        if (c.Argc > 2)
        {
            c.Reply.Error(CommandTable.ArityError(c.Command));
            return;
        }
        if (c.Argc == 2) c.Reply.Bulk(c.Args[1]);
        else c.Reply.SimpleString("PONG"u8);
    }

    private static void Select(SessionCall c)
    {
        if (!Net.Resp.RedisNumbers.TryParseLong(c.Args[1], out var db) || db > int.MaxValue || db < int.MinValue)
        {
            c.Reply.Error(Errors.NotInteger);
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
}
