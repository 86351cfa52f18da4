using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;

namespace AkkaRedis.Actors.Commands;

/// <summary>The three subscription namespaces of Redis 7.0 (server.pubsub_channels, pubsub_patterns,
/// pubsubshard_channels).</summary>
public enum SubscriptionKind : byte { Channel, Pattern, ShardChannel }

/// <summary>A connection that receives published messages (the session implements it).</summary>
public abstract class Subscriber
{
    /// <summary>The protocol its messages are framed in (RESP2 <c>*3</c> arrays, RESP3 <c>&gt;3</c> pushes), read at
    /// publish time: a HELLO racing with a publish may see either framing, as in Redis where the reply is built once
    /// the publisher's thread gets to the client.</summary>
    public abstract int Protocol { get; }

    /// <summary>Hands a framed message to the connection; called from any thread, must not block.</summary>
    public abstract void Deliver(PubSubPush push);

    /// <summary>Set once the connection is closing (output buffer limit, disconnect): it gets nothing more but still
    /// counts as a receiver until it has left the registry, as Redis's CLIENT_CLOSE_ASAP clients do.</summary>
    public volatile bool Closed;
}

/// <summary>Framed message bytes (one message, or the messages of a pipelined batch of publishes), shared by every
/// subscriber that reads the same protocol: encoded once, never copied per subscriber.</summary>
public sealed class PubSubPush(ArraySegment<byte> bytes)
{
    public readonly ArraySegment<byte> Bytes = bytes;
}

/// <summary>Subscription changes of one connection for the PubSub actor, which applies them to the registry and
/// sends the update back to the connection (its subscription replies leave only then).</summary>
public sealed class PubSubUpdate(Subscriber subscriber)
{
    public Subscriber Subscriber { get; } = subscriber;
    public readonly List<(SubscriptionKind Kind, byte[] Name, bool Add)> Changes = new();

    public void Add(SubscriptionKind kind, byte[] name, bool add) => Changes.Add((kind, name, add));
}

/// <summary>
/// Who listens where: Redis's pubsub_channels / pubsub_patterns / pubsubshard_channels. A deviation from
/// ARCHITECTURE.md ("PUBLISH fans out in the PubSub actor"), made for speed and order: the PubSub actor is the single
/// writer (<see cref="Apply"/>), but readers need no lock nor hop — each channel maps to an immutable subscriber array
/// and the patterns are one copy-on-write array — so PUBLISH runs in the publisher's session and keyspace
/// notifications in the shard that emits them, each delivering straight to the subscribers' sessions. Messages from
/// one publisher therefore reach a subscriber in publish order (Akka keeps the order of one sender's messages), with
/// no extra mailbox in between.
/// </summary>
public sealed class PubSubRegistry : IPublisher
{
    private readonly ConcurrentDictionary<byte[], Subscriber[]> _channels = new(ByteArrayComparer.Instance);
    private readonly ConcurrentDictionary<byte[], Subscriber[]> _shardChannels = new(ByteArrayComparer.Instance);
    private readonly ConcurrentDictionary<byte[], Subscriber[]>.AlternateLookup<ReadOnlySpan<byte>> _channelLookup;
    private readonly ConcurrentDictionary<byte[], Subscriber[]>.AlternateLookup<ReadOnlySpan<byte>> _shardLookup;
    /// <summary>One entry per distinct pattern, in the order patterns were first subscribed; replaced, never changed.</summary>
    private volatile PatternSubscribers[] _patterns = [];

    public PubSubRegistry()
    {
        _channelLookup = _channels.GetAlternateLookup<ReadOnlySpan<byte>>();
        _shardLookup = _shardChannels.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    private sealed record PatternSubscribers(byte[] Pattern, Subscriber[] Subscribers);

    /// <summary>INFO pubsub_channels, and what PUBSUB CHANNELS lists.</summary>
    public int ChannelCount => _channels.Count;
    /// <summary>PUBSUB NUMPAT and INFO pubsub_patterns: distinct patterns (Redis 7.0 counts the dict of patterns, not
    /// the subscriptions).</summary>
    public int PatternCount => _patterns.Length;
    public int ShardChannelCount => _shardChannels.Count;

    /// <summary>PUBSUB NUMSUB / SHARDNUMSUB: subscribers of one channel, pattern subscriptions excluded.</summary>
    public int SubscribersOf(SubscriptionKind kind, ReadOnlySpan<byte> channel) =>
        (kind == SubscriptionKind.ShardChannel ? _shardLookup : _channelLookup).TryGetValue(channel, out var s) ? s.Length : 0;

    /// <summary>PUBSUB CHANNELS / SHARDCHANNELS: the active channels matching <paramref name="pattern"/> (all when
    /// null), in no particular order (Redis walks a dict).</summary>
    public List<byte[]> ChannelsMatching(SubscriptionKind kind, byte[]? pattern)
    {
        var result = new List<byte[]>();
        foreach (var pair in kind == SubscriptionKind.ShardChannel ? _shardChannels : _channels)
            if (pattern == null || GlobPattern.Match(pattern, pair.Key)) result.Add(pair.Key);
        return result;
    }

    public int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message) => Publish(channel, message, null, null, null);

    /// <summary>
    /// Redis's pubsubPublishMessage: the channel's subscribers, then every matching pattern's; returns the number of
    /// receivers. A <paramref name="publisher"/> that is itself a receiver (RESP3) gets the message written into its
    /// reply, before the PUBLISH reply, as Redis writes it. With a <paramref name="batch"/> (a session's pipeline of
    /// PUBLISHes) deliveries to the same subscribers are gathered and sent as one message (see
    /// <see cref="PublishBatch"/>).
    /// </summary>
    public int Publish(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message, Subscriber? publisher, RespWriter? publisherReply, PublishBatch? batch)
    {
        var receivers = 0;
        if (_channelLookup.TryGetValue(channel, out var subscribers))
            receivers += Deliver(subscribers, PushKind.Message, default, channel, message, publisher, publisherReply, batch);
        var patterns = _patterns;
        foreach (var p in patterns)
            if (GlobPattern.Match(p.Pattern, channel))
                receivers += Deliver(p.Subscribers, PushKind.PMessage, p.Pattern, channel, message, publisher, publisherReply, batch);
        return receivers;
    }

    /// <summary>SPUBLISH (pubsubPublishMessage with the shard channels): no patterns.</summary>
    public int PublishShard(ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message, Subscriber? publisher, RespWriter? publisherReply, PublishBatch? batch) =>
        _shardLookup.TryGetValue(channel, out var subscribers)
            ? Deliver(subscribers, PushKind.SMessage, default, channel, message, publisher, publisherReply, batch)
            : 0;

    private static int Deliver(Subscriber[] subscribers, PushKind kind, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel,
        ReadOnlySpan<byte> message, Subscriber? publisher, RespWriter? publisherReply, PublishBatch? batch)
    {
        var self = publisherReply != null && publisher != null && Array.IndexOf(subscribers, publisher) >= 0 ? publisher : null;
        if (self != null)
        {
            var saved = publisherReply!.Protocol;
            publisherReply.Protocol = self.Protocol;
            PushFrame.Write(publisherReply, kind, pattern, channel, message);
            publisherReply.Protocol = saved;
        }
        if (batch != null)
        {
            batch.Add(subscribers, self, kind, pattern, channel, message);
            return subscribers.Length;
        }
        PubSubPush? resp2 = null, resp3 = null;
        foreach (var s in subscribers)
        {
            if (s.Closed || ReferenceEquals(s, self)) continue;
            var push = s.Protocol == 3
                ? resp3 ??= new PubSubPush(PushFrame.Encode(3, kind, pattern, channel, message))
                : resp2 ??= new PubSubPush(PushFrame.Encode(2, kind, pattern, channel, message));
            s.Deliver(push);
        }
        return subscribers.Length;
    }

    /// <summary>
    /// Applies one connection's subscription changes. Only the PubSub actor calls it (single writer): readers see
    /// each channel's subscriber array and the pattern array replaced whole, never changed in place.
    /// </summary>
    public void Apply(PubSubUpdate update)
    {
        var subscriber = update.Subscriber;
        foreach (var (kind, name, add) in update.Changes)
        {
            if (kind == SubscriptionKind.Pattern)
            {
                ApplyPattern(subscriber, name, add);
                continue;
            }
            var map = kind == SubscriptionKind.ShardChannel ? _shardChannels : _channels;
            map.TryGetValue(name, out var current);
            if (add)
            {
                if (current == null) map[name] = [subscriber];
                else if (Array.IndexOf(current, subscriber) < 0) map[name] = [.. current, subscriber];
            }
            else if (current != null)
            {
                var without = Without(current, subscriber);
                if (without == null) continue;
                if (without.Length == 0) map.TryRemove(name, out _);
                else map[name] = without;
            }
        }
    }

    private void ApplyPattern(Subscriber subscriber, byte[] pattern, bool add)
    {
        var patterns = _patterns;
        var index = Array.FindIndex(patterns, p => p.Pattern.AsSpan().SequenceEqual(pattern));
        if (add)
        {
            if (index < 0)
            {
                _patterns = [.. patterns, new PatternSubscribers(pattern, [subscriber])];
                return;
            }
            var current = patterns[index].Subscribers;
            if (Array.IndexOf(current, subscriber) >= 0) return;
            var copy = (PatternSubscribers[])patterns.Clone();
            copy[index] = new PatternSubscribers(patterns[index].Pattern, [.. current, subscriber]);
            _patterns = copy;
            return;
        }
        if (index < 0) return;
        var remaining = Without(patterns[index].Subscribers, subscriber);
        if (remaining == null) return;
        if (remaining.Length == 0)
        {
            _patterns = [.. patterns.AsSpan(0, index), .. patterns.AsSpan(index + 1)];
            return;
        }
        var next = (PatternSubscribers[])patterns.Clone();
        next[index] = new PatternSubscribers(patterns[index].Pattern, remaining);
        _patterns = next;
    }

    /// <summary>The array without <paramref name="subscriber"/>; null when it was not there.</summary>
    private static Subscriber[]? Without(Subscriber[] subscribers, Subscriber subscriber)
    {
        var index = Array.IndexOf(subscribers, subscriber);
        if (index < 0) return null;
        return [.. subscribers.AsSpan(0, index), .. subscribers.AsSpan(index + 1)];
    }
}

/// <summary>The kinds of delivered message (addReplyPubsubMessage, addReplyPubsubPatMessage, smessage).</summary>
public enum PushKind : byte { Message, PMessage, SMessage }

/// <summary>Frames a delivered message as Redis does: <c>*3</c>/<c>&gt;3</c> message|smessage channel payload, or
/// <c>*4</c>/<c>&gt;4</c> pmessage pattern channel payload.</summary>
public static class PushFrame
{
    private static ReadOnlySpan<byte> KindName(PushKind kind) => kind switch
    {
        PushKind.Message => "message"u8,
        PushKind.PMessage => "pmessage"u8,
        _ => "smessage"u8,
    };

    public static byte[] Encode(int protocol, PushKind kind, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        var bytes = new byte[Length(kind, pattern, channel, message)];
        Write(bytes, protocol, kind, pattern, channel, message);
        return bytes;
    }

    public static void Write(RespWriter writer, PushKind kind, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        writer.PushHeader(kind == PushKind.PMessage ? 4 : 3);
        writer.Bulk(KindName(kind));
        if (kind == PushKind.PMessage) writer.Bulk(pattern);
        writer.Bulk(channel);
        writer.Bulk(message);
    }

    public static int Length(PushKind kind, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message) =>
        4 + BulkLength(KindName(kind).Length) + (kind == PushKind.PMessage ? BulkLength(pattern.Length) : 0)
        + BulkLength(channel.Length) + BulkLength(message.Length);

    /// <summary>Writes the frame at the start of <paramref name="into"/> (sized by <see cref="Length"/>).</summary>
    public static void Write(Span<byte> into, int protocol, PushKind kind, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        into[0] = protocol == 3 ? (byte)'>' : (byte)'*';
        into[1] = kind == PushKind.PMessage ? (byte)'4' : (byte)'3';
        into[2] = (byte)'\r';
        into[3] = (byte)'\n';
        var at = 4;
        at += WriteBulk(into[at..], KindName(kind));
        if (kind == PushKind.PMessage) at += WriteBulk(into[at..], pattern);
        at += WriteBulk(into[at..], channel);
        WriteBulk(into[at..], message);
    }

    private static int Digits(int n) => n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : n < 10000 ? 4 : n < 100000 ? 5 : (int)Math.Floor(Math.Log10(n)) + 1;

    private static int BulkLength(int length) => 1 + Digits(length) + 2 + length + 2;

    private static int WriteBulk(Span<byte> into, ReadOnlySpan<byte> value)
    {
        into[0] = (byte)'$';
        Utf8Formatter.TryFormat(value.Length, into[1..], out var digits);
        var at = 1 + digits;
        into[at++] = (byte)'\r';
        into[at++] = (byte)'\n';
        value.CopyTo(into[at..]);
        at += value.Length;
        into[at++] = (byte)'\r';
        into[at++] = (byte)'\n';
        return at;
    }
}

/// <summary>
/// The deliveries of one session's pipeline of PUBLISHes, gathered so that a subscriber gets one message per run of
/// publishes to the same recipients instead of one per publish (PUBLISH throughput with many subscribers), framed
/// once per protocol and shared by all of them. Order is kept: a delivery to other recipients first sends what was
/// gathered, so every subscriber still sees messages in publish order. The session flushes it before any other
/// command and at the end of the batch. Owned by one session: not thread-safe.
/// </summary>
public sealed class PublishBatch
{
    private readonly ArrayBufferWriter<byte> _resp2 = new();
    private readonly ArrayBufferWriter<byte> _resp3 = new();
    private Subscriber[]? _recipients;
    private Subscriber? _skip;
    private bool _needs2;
    private bool _needs3;

    public bool HasPending => _recipients != null;

    internal void Add(Subscriber[] recipients, Subscriber? skip, PushKind kind, ReadOnlySpan<byte> pattern, ReadOnlySpan<byte> channel, ReadOnlySpan<byte> message)
    {
        if (!ReferenceEquals(recipients, _recipients) || !ReferenceEquals(skip, _skip))
        {
            Flush();
            _recipients = recipients;
            _skip = skip;
            foreach (var s in recipients)
            {
                if (ReferenceEquals(s, skip)) continue;
                if (s.Protocol == 3) _needs3 = true;
                else _needs2 = true;
            }
        }
        var length = PushFrame.Length(kind, pattern, channel, message);
        if (_needs2)
        {
            PushFrame.Write(_resp2.GetSpan(length), 2, kind, pattern, channel, message);
            _resp2.Advance(length);
        }
        if (_needs3)
        {
            PushFrame.Write(_resp3.GetSpan(length), 3, kind, pattern, channel, message);
            _resp3.Advance(length);
        }
    }

    /// <summary>Sends what was gathered: one message per recipient.</summary>
    public void Flush()
    {
        var recipients = _recipients;
        if (recipients == null) return;
        var resp2 = _needs2 && _resp2.WrittenCount > 0 ? new PubSubPush(_resp2.WrittenSpan.ToArray()) : null;
        var resp3 = _needs3 && _resp3.WrittenCount > 0 ? new PubSubPush(_resp3.WrittenSpan.ToArray()) : null;
        foreach (var s in recipients)
        {
            if (s.Closed || ReferenceEquals(s, _skip)) continue;
            // A subscriber that switched protocol since the run began gets the framing it was gathered in.
            var push = s.Protocol == 3 ? resp3 ?? resp2 : resp2 ?? resp3;
            if (push != null) s.Deliver(push);
        }
        _recipients = null;
        _skip = null;
        _needs2 = _needs3 = false;
        _resp2.ResetWrittenCount();
        _resp3.ResetWrittenCount();
    }
}
