using Akka.Actor;
using AkkaRedis.Actors.Commands;

namespace AkkaRedis.Actors.PubSub;

/// <summary>
/// The PubSub actor: the single writer of the subscriber registry. Connections send it their subscription changes
/// (SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE, RESET, disconnect); it applies them and
/// sends the update back, so a subscription's reply leaves only once publishers can see it. Publishing does not come
/// here (see <see cref="PubSubRegistry"/>: publishers read the registry without a lock and deliver directly).
/// </summary>
public sealed class PubSubActor : ReceiveActor
{
    public PubSubActor(PubSubRegistry registry)
    {
        Receive<PubSubUpdate>(update =>
        {
            registry.Apply(update);
            if (!Sender.IsNobody()) Sender.Tell(update);
        });
    }

    public static Props Props(PubSubRegistry registry) => Akka.Actor.Props.Create(() => new PubSubActor(registry));
}
