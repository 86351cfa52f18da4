using System.Text;
using AkkaRedis.Actors.Session;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Commands;

/// <summary>
/// Runs keyspace command handlers directly, without actors or sockets: every key lives in one shard's data, so
/// cross-shard commands run the same code they run under the Transaction actor.
/// </summary>
public sealed class HandlerHarness
{
    private readonly ExecContext _context;
    private readonly RespWriter _writer = new();

    public HandlerHarness(int protocol = 2)
    {
        Server = new ServerContext(new ServerConfig(), AkkaRedis.Actors.Session.Families.CreateTable());
        Shard = new ShardData(0, Server.Config.Databases);
        _context = new ExecContext(Server.Services, KeyspaceView.ForShard(Shard, 1));
        _writer.Protocol = protocol;
    }

    public ServerContext Server { get; }
    public ShardData Shard { get; }
    /// <summary>The context the handlers run with (a test that needs the database's events points them here).</summary>
    public ExecContext Context => _context;
    public int Db { get; set; }

    /// <summary>Runs one command and returns its raw RESP reply.</summary>
    public string Run(params string[] args) => Run(args.Select(a => Encoding.UTF8.GetBytes(a)).ToArray());

    public string Run(CommandArgs args)
    {
        var def = Server.Commands.Resolve(args, out var error);
        _writer.Reset();
        if (def == null) _writer.Error(error!);
        else if (def.Handler == null) throw new InvalidOperationException($"'{def.Name}' is not a keyspace command");
        else CommandRunner.Run(_context, def, args, _writer, Db);
        return Encoding.Latin1.GetString(_writer.Written);
    }
}
