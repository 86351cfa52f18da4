using System.Text;
using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Session;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Tests.Unit.Session;

/// <summary>
/// Runs session (connection) command handlers without a stage or sockets: several registered connections share
/// one server context, and each request is resolved and run as the session stage runs it.
/// </summary>
public sealed class SessionHarness
{
    private long _nextPort = 50000;

    public SessionHarness() => Server = new ServerContext(new ServerConfig(), AkkaRedis.Actors.Session.Families.CreateTable());

    public ServerContext Server { get; }

    /// <summary>Opens a connection (registered, as CLIENT LIST and KILL see it).</summary>
    public Connection Connect()
    {
        var client = new ClientSession(Server.Clients.NextId(), $"127.0.0.1:{_nextPort++}", "127.0.0.1:6379");
        var connection = new Connection(Server, client);
        client.KillHandler = () => connection.KilledByOther = true;
        Server.Clients.Add(client);
        return connection;
    }

    public sealed class Connection
    {
        private readonly SessionCall _call;
        private readonly RespWriter _writer = new();

        internal Connection(ServerContext server, ClientSession client)
        {
            Client = client;
            _call = new SessionCall(server, client);
        }

        public ClientSession Client { get; }
        public bool KilledByOther { get; internal set; }
        /// <summary>What the last request set: close after the reply, reply suppressed, replies turned back on.</summary>
        public bool CloseAfterReply => _call.CloseAfterReply;
        public bool SuppressReply => _call.SuppressReply;
        public bool RepliesTurnedOn => _call.RepliesTurnedOn;

        public string Run(params string[] args) => Run(args.Select(a => Encoding.UTF8.GetBytes(a)).ToArray());

        public string Run(CommandArgs args)
        {
            _writer.Reset();
            _writer.Protocol = Client.Protocol;
            var def = _call.Server.Commands.Resolve(args, out var error);
            if (def == null)
            {
                _writer.Error(error!);
                return Encoding.Latin1.GetString(_writer.Written);
            }
            if (def.SessionHandler == null) throw new InvalidOperationException($"'{def.Name}' is not a session command");
            Client.LastCommand = def.Name;
            Client.QueryBufferBytes = 0; // nothing pipelined after the request
            _call.Begin(args, def, _writer);
            SessionCall.Invoke(def, _call);
            return Encoding.Latin1.GetString(_writer.Written);
        }
    }
}
