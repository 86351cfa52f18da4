namespace AkkaRedis.Net.Resp;

/// <summary>Limits applied by <see cref="RespParser"/> to incoming requests (mirrors Redis 7.0 settings / constants).</summary>
public sealed class RespLimits
{
    /// <summary>proto-max-bulk-len: a bulk header declaring more than this is "invalid bulk length".</summary>
    public long MaxBulkLength { get; set; } = 512L * 1024 * 1024;

    /// <summary>
    /// Largest accepted multibulk count. Redis 7.0 accepts any count up to INT_MAX (verified against
    /// redis-server 7.0.15: <c>*1048577</c> is accepted, <c>*2147483648</c> is "invalid multibulk length");
    /// Redis 6.x used 1024*1024. Redis also limits unauthenticated clients to 10 (not modelled here).
    /// The parser never preallocates more than 1024 argument slots up front, so a huge declared count is harmless.
    /// </summary>
    public int MaxMultibulkLength { get; set; } = int.MaxValue;

    /// <summary>client-query-buffer-limit: a client whose pending (unparsed) input exceeds this is closed without a reply.</summary>
    public long QueryBufferLimit { get; set; } = 1024L * 1024 * 1024;

    /// <summary>PROTO_INLINE_MAX_SIZE: max bytes of an inline request / a '*' or '$' header line without its terminator.</summary>
    public int MaxInlineSize { get; set; } = 64 * 1024;
}
