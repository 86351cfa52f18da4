using Akka.Actor;
using System.Runtime.CompilerServices;

namespace AkkaRedis.Actors.Session;

/// <summary>
/// A session's address: what shards, the Transaction actor, the PubSub actor and other connections tell it (replies to
/// its batches, deliveries, CLIENT KILL), posted into its stage through one async callback. It stands for Akka's
/// StageActor, which a session used before: that registers a function ref among its interpreter actor's children with
/// a name and a path of its own, about 550 bytes of an idle connection's 5.7 KB; this is an object and its callback.
/// Nothing watches a session (no DeathWatch); once its stage has stopped, what is told to it is dropped, as a stopped
/// StageActor's messages go to dead letters.
/// </summary>
internal sealed class SessionRef(IActorRefProvider provider, long clientId, Action<(IActorRef, object)> post) : MinimalActorRef
{
    private ActorPath? _path;

    /// <summary>Made when first asked (tracing, logs): <c>akka://system/connections/client-ID</c>, the client's id as
    /// CLIENT LIST shows it.</summary>
    public override ActorPath Path => _path ??= new RootActorPath(provider.DefaultAddress) / "connections" / $"client-{clientId}";

    public override IActorRefProvider Provider => provider;

    protected override void TellInternal(object message, IActorRef sender) => post((sender, message));

    // By identity: the path is made only when asked for, and each session has its own ref.
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => RuntimeHelpers.GetHashCode(this);
}
