using Akka.Actor;

namespace AkkaRedis.Actors.Keyspace;

public static class Mailboxes
{
    /// <summary>Messages waiting in a local actor's mailbox (0 for anything else); safe from any thread.</summary>
    public static long Depth(IActorRef actor) =>
        actor is ActorRefWithCell { Underlying: ActorCell cell } ? cell.Mailbox.MessageQueue.Count : 0;
}
