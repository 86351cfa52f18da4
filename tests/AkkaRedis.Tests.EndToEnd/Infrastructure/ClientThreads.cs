namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>
/// Many clients at once, one thread each (each with its own blocking connection, as a real client process would
/// have): runs the bodies, waits for all of them, and rethrows every failure. The first failure cancels the token
/// the bodies are given, so that clients waiting for work the failed one would have done stop instead of running
/// into the deadline.
/// </summary>
public static class ClientThreads
{
    public static void Run(int count, Action<int> body, TimeSpan? deadline = null) =>
        Run(count, (i, _) => body(i), deadline);

    public static void Run(int count, Action<int, CancellationToken> body, TimeSpan? deadline = null)
    {
        var errors = new List<Exception>();
        using var failed = new CancellationTokenSource();
        var threads = Enumerable.Range(0, count).Select(i => new Thread(() =>
        {
            try
            {
                body(i, failed.Token);
            }
            catch (Exception e)
            {
                lock (errors) errors.Add(e);
                failed.Cancel();
            }
        }) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        var until = DateTime.UtcNow + (deadline ?? TimeSpan.FromMinutes(2));
        foreach (var t in threads)
        {
            var left = until - DateTime.UtcNow;
            if (!t.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                failed.Cancel();
                lock (errors)
                    throw new AggregateException(
                        $"a client thread did not finish within {(deadline ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s", errors);
            }
        }
        if (errors.Count > 0) throw new AggregateException(errors);
    }
}
