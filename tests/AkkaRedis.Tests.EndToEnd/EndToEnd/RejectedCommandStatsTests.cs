using AkkaRedis.Tests.EndToEnd.Infrastructure;

namespace AkkaRedis.Tests.EndToEnd.EndToEnd;

/// <summary>
/// Requests the command table rejects are counted as Redis counts them: an arity error against the (sub)command
/// Redis looked up (rejected_calls), every rejection in errorstats, unknown commands and subcommands nowhere else.
/// </summary>
[Collection(E2ECollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class RejectedCommandStatsTests(E2EServers servers)
{
    [Fact]
    public void RejectionsShowInCommandstatsAndErrorstatsAsInRedis()
    {
        foreach (var server in new[] { servers.Akka.Connect(), servers.Redis.Connect() })
        {
            using var client = server;
            Assert.Equal("+OK\\r\\n", client.CallText("CONFIG", "RESETSTAT"));
            Assert.StartsWith("-ERR wrong number of arguments for 'config|get' command", client.CallText("CONFIG", "GET"));
            Assert.StartsWith("-ERR unknown command 'NOSUCH'", client.CallText("NOSUCH"));
            Assert.StartsWith("-ERR unknown subcommand 'NOSUCH'", client.CallText("CLIENT", "NOSUCH"));

            var commandStats = client.CallText("INFO", "commandstats");
            Assert.Contains("cmdstat_config|get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0", commandStats);
            Assert.DoesNotContain("cmdstat_client", commandStats);
            var errorStats = client.CallText("INFO", "errorstats");
            Assert.Contains("errorstat_ERR:count=3", errorStats);
            Assert.Contains("total_error_replies:3", client.CallText("INFO", "stats"));
        }
    }
}
