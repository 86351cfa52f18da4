namespace AkkaRedis.Net.Resp;

/// <summary>Limits applied by <see cref="RespParser"/> to incoming requests (mirrors Redis 7.0 settings / constants).</summary>
public sealed class RespLimits
{
    /// <summary>proto-max-bulk-len: a bulk header declaring more than this is "invalid bulk length".</summary>
    public long MaxBulkLength { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// Largest accepted multibulk count. Redis 7.0 accepts any count up to INT_MAX (verified against
    /// redis-server 7.0.15: <c>*1048577</c> is accepted, <c>*2147483648</c> is "invalid multibulk length");
    /// Redis 6.x used 1024*1024. Unauthenticated clients are limited further (<see cref="AuthGate"/>).
    /// The parser never preallocates more than 1024 argument slots up front, so a huge declared count is harmless.
    /// </summary>
    public int MaxMultibulkLength { get; set; } = int.MaxValue;

    /// <summary>client-query-buffer-limit: a client whose pending (unparsed) input exceeds this is closed without a reply.</summary>
    public long QueryBufferLimit { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// Redis's authRequired for this connection, set by its session (the session itself: no closure per connection): while it answers true, a request may declare at
    /// most <see cref="UnauthenticatedMaxArgs"/> arguments of at most <see cref="UnauthenticatedMaxBulkLength"/> bytes
    /// each, so that a client without the password cannot make the server buffer much. Only asked when a header
    /// declares more than that, with the commands parsed before it in the same batch (the session has not run them
    /// yet: one of them may be the AUTH that lifts the limit). Null: no limit.
    /// </summary>
    public IAuthGate? AuthGate { get; set; }

    /// <summary>True while requests are limited as Redis limits a client that has not authenticated; the framing
    /// stage then reads nothing ahead (the next read waits for the session to run the AUTH that may lift the limit).</summary>
    public bool Restricted => AuthGate?.AuthRequired(CommandBatch.None) == true;

    /// <summary>Parsed bytes a connection may hold ahead of the batch its session is running.</summary>
    public int ReadAhead { get; set; } = 64 * 1024;

    public const int UnauthenticatedMaxArgs = 10;
    public const int UnauthenticatedMaxBulkLength = 16384;

    /// <summary>PROTO_INLINE_MAX_SIZE: max bytes of an inline request / a '*' or '$' header line without its terminator.</summary>
    public int MaxInlineSize { get; set; } = 64 * 1024;
}

/// <summary>Redis's authRequired, asked by the parser (<see cref="RespLimits.AuthGate"/>) for a request parsed after
/// <paramref name="notRunYet"/>.</summary>
public interface IAuthGate
{
    bool AuthRequired(CommandBatch notRunYet);
}
