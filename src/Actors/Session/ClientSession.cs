using AkkaRedis.Actors.Commands;
using AkkaRedis.Actors.Server;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Session;

public enum ReplyMode { On, Off, Skip }

/// <summary>
/// One connection's state. Owned and written by its session stage; other connections only read it (CLIENT LIST)
/// or ask it to close (CLIENT KILL) through <see cref="Kill"/>.
/// </summary>
public sealed class ClientSession
{
    public ClientSession(long id, string address, string localAddress)
    {
        Id = id;
        Address = address;
        LocalAddress = localAddress;
        CreatedAt = ServerContext.UnixMs();
        LastInteraction = CreatedAt;
    }

    public long Id { get; }
    public string Address { get; }
    public string LocalAddress { get; }
    public long CreatedAt { get; }
    public long LastInteraction { get; set; }
    public string? Name { get; set; }
    public int Db { get; set; }
    public int Protocol { get; set; } = 2;
    public ReplyMode ReplyMode { get; set; } = ReplyMode.On;
    public bool NoEvict { get; set; }
    public string LastCommand { get; set; } = "NULL";
    public string User { get; set; } = "default";
    public long QueryBufferBytes { get; set; }
    public long OutputBufferBytes { get; set; }
    public long CommandsProcessed { get; set; }
    public string LibraryName { get; set; } = "";
    public string LibraryVersion { get; set; } = "";

    /// <summary>Closes the connection from another thread (CLIENT KILL, SHUTDOWN); set by the session stage.</summary>
    public Action Kill { get; set; } = () => { };
}

/// <summary>What a session handler sees: the connection, the request, and where to write its reply.</summary>
public sealed class SessionCall
{
    public SessionCall(ServerContext server, ClientSession client)
    {
        Server = server;
        Client = client;
    }

    public ServerContext Server { get; }
    public ClientSession Client { get; }
    public byte[][] Args = [];
    public RespWriter Reply = null!;
    public CommandDef Command = null!;
    /// <summary>Set by QUIT and friends: close the connection once this reply is written.</summary>
    public bool CloseAfterReply;
    /// <summary>Set by CLIENT REPLY OFF/SKIP: this command's own reply is not sent.</summary>
    public bool SuppressReply;

    public int Argc => Args.Length;
    public bool ArgIs(int index, string keyword) => Keywords.Is(Args[index], keyword);
}
