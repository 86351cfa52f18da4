namespace AkkaRedis.Actors.Storage;

/// <summary>
/// PFSELFTEST (Redis's pfselftestCommand), made quick: (1) dense registers keep what is written and leave their
/// neighbours alone; (2) the same unique elements added to a dense and a sparse HLL give the same estimate, the sparse
/// one stays sparse while small, and the error stays within 6 standard errors at every power of ten. Redis goes to
/// 10,000,000 elements; this stops at 100,000 so that the command answers in milliseconds.
/// </summary>
public static class HyperLogLogSelfTest
{
    private const int RegisterCycles = 100;
    private const int MaxElements = 100_000;

    /// <summary>Null when every check passed, otherwise the error reply (TESTFAILED ...).</summary>
    public static string? Run(long sparseMaxBytes)
    {
        var rng = new Random();
        var dense = new byte[HyperLogLog.DenseSize];
        var registers = dense.AsSpan(HyperLogLog.HeaderSize);
        var expected = new byte[HyperLogLog.Registers];
        for (var cycle = 0; cycle < RegisterCycles; cycle++)
        {
            for (var i = 0; i < HyperLogLog.Registers; i++)
            {
                var r = rng.Next() & HyperLogLog.RegisterMax;
                expected[i] = (byte)r;
                HyperLogLog.SetRegister(registers, i, r);
            }
            for (var i = 0; i < HyperLogLog.Registers; i++)
            {
                var v = HyperLogLog.GetRegister(registers, i);
                if (v != expected[i]) return $"TESTFAILED Register {i} should be {expected[i]} but is {v}";
            }
        }

        registers.Clear();
        "HYLL"u8.CopyTo(dense);
        var sparse = new HllBuffer();
        sparse.LoadEmpty();
        var relerr = 1.04 / Math.Sqrt(HyperLogLog.Registers);
        long checkpoint = 1;
        var seed = (ulong)rng.NextInt64();
        Span<byte> ele = stackalloc byte[8];
        for (long j = 1; j <= MaxElements; j++)
        {
            BitConverter.TryWriteBytes(ele, (ulong)j ^ seed);
            HyperLogLog.DenseAdd(dense, ele);
            sparse.Add(ele, sparseMaxBytes);
            if (j != checkpoint) continue;
            if (j < sparseMaxBytes / 2 && sparse.Encoding != HyperLogLog.Sparse) return "TESTFAILED sparse encoding not used";
            var count = HyperLogLog.Count(dense, out _);
            if (count != HyperLogLog.Count(sparse.Bytes, out _)) return "TESTFAILED dense/sparse disagree";
            var abserr = Math.Abs(checkpoint - (long)count);
            var maxerr = (long)Math.Ceiling(relerr * 6 * checkpoint);
            if (j == 10) maxerr = 1; // as Redis: collisions make a larger error at 10 statistically likely
            if (abserr > maxerr) return $"TESTFAILED Too big error. card:{checkpoint} abserr:{abserr}";
            checkpoint *= 10;
        }
        return null;
    }
}
