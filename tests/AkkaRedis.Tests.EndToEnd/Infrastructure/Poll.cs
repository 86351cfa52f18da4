namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>Waiting for a condition with a deadline (a polling interval, never a fixed sleep as synchronisation).</summary>
public static class Poll
{
    /// <summary>Evaluates <paramref name="condition"/> until it holds (true) or the deadline passes (false).</summary>
    public static bool Until(Func<bool> condition, TimeSpan timeout, TimeSpan? interval = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (condition()) return true;
            if (DateTime.UtcNow >= deadline) return false;
            Thread.Sleep(interval ?? TimeSpan.FromMilliseconds(20));
        }
    }
}
