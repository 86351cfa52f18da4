namespace AkkaRedis.Tests.Unit.Commands;

public sealed class HandlerHarnessTests
{
    [Fact]
    public void Runs_commands_against_one_shard_and_reports_dispatch_errors()
    {
        var h = new HandlerHarness();
        Assert.Equal("+OK\r\n", h.Run("SET", "k", "v"));
        Assert.Equal("$1\r\nv\r\n", h.Run("GET", "k"));
        Assert.Equal("-ERR wrong number of arguments for 'get' command\r\n", h.Run("GET"));
        Assert.Equal("-ERR unknown command 'NOPE', with args beginning with: 'x' \r\n", h.Run("NOPE", "x"));
    }
}
