using System.Text;
using Akka.Actor;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Keyspace;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Server;

/// <summary>
/// Runs server commands without actors or sockets: session handlers get a <see cref="SessionCall"/> for one
/// client, keyspace handlers (DEBUG) run against one shard's data, as under the Transaction actor.
/// </summary>
public sealed class ServerHarness
{
    private readonly SessionCall _call;
    private readonly ExecContext _context;
    private readonly RespWriter _writer = new();

    public ServerHarness(CommandTable? table = null, int protocol = 2, string address = "127.0.0.1:50000")
    {
        Server = new ServerContext(new ServerConfig(), table ?? AkkaRedis.Actors.Session.Families.CreateTable());
        Shard = new ShardData(0, Server.Config.Databases);
        Server.Keyspace = new KeyspaceRefs(ActorRefs.Nobody, [], [Shard], new Dictionary<string, IActorRef>());
        Client = new ClientSession(Server.Clients.NextId(), address, "127.0.0.1:6379") { Protocol = protocol };
        Server.Clients.Add(Client);
        _call = new SessionCall(Server, Client);
        _context = new ExecContext(Server.Services, KeyspaceView.ForShard(Shard, 1));
    }

    public ServerContext Server { get; }
    public ShardData Shard { get; }
    public ClientSession Client { get; }
    public bool ShutdownRequested { get; private set; }
    /// <summary>What the last keyspace handler asked the Transaction actor to hold the shards for.</summary>
    public TimeSpan? HoldFor => _context.HoldFor;
    public bool CloseAfterReply => _call.CloseAfterReply;
    public bool SuppressReply => _call.SuppressReply;

    public string Run(params string[] args) => Run(args.Select(a => Encoding.UTF8.GetBytes(a)).ToArray());

    /// <summary>Runs one command as the session would (dispatch, handler, stats) and returns its raw RESP reply.</summary>
    public string Run(CommandArgs args)
    {
        Server.RequestShutdown = _ => ShutdownRequested = true;
        _writer.Reset();
        _writer.Protocol = Client.Protocol;
        var def = Server.Commands.Resolve(args, out var error);
        if (def == null)
        {
            _writer.Error(error!);
            return Encoding.Latin1.GetString(_writer.Written);
        }
        if (def.SessionHandler != null)
        {
            _call.Begin(args, def, _writer);
            var errorsBefore = _writer.ErrorCount;
            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            SessionCall.Invoke(def, _call);
            CommandRunner.Record(Server.Services, _context.Stats, def, _writer, errorsBefore, t0);
        }
        else
        {
            _context.HoldFor = null;
            CommandRunner.Run(_context, def, args, _writer, Client.Db);
        }
        return Encoding.Latin1.GetString(_writer.Written);
    }
}
