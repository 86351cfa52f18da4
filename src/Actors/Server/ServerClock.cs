namespace AkkaRedis.Actors.Server;

public static class ServerClock
{
    /// <summary>Unix time in milliseconds (Redis's mstime()).</summary>
    public static long UnixMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
