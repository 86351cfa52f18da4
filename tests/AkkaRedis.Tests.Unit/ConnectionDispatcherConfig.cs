using Akka.Configuration;
using AkkaRedis.Net.Streams;

namespace AkkaRedis.Tests.Unit;

/// <summary>The connection dispatcher as HOCON/akka.conf declares it (the socket threads' executor and the connections'
/// mailbox), for the TestKits that run actors on it.</summary>
internal static class ConnectionDispatcherConfig
{
    public static Config Hocon => ConfigurationFactory.ParseString($$"""
        {{SocketThreadExecutor.Id}} {
          type = Dispatcher
          executor = "AkkaRedis.Net.Streams.SocketThreadExecutorConfigurator, AkkaRedis.Net"
          mailbox-type = "AkkaRedis.Net.Streams.ConnectionMailbox, AkkaRedis.Net"
        }
        """);
}
