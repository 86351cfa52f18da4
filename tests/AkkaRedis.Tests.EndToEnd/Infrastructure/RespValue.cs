using System.Globalization;
using System.Text;

namespace AkkaRedis.Tests.EndToEnd.Infrastructure;

/// <summary>
/// One parsed reply, kept close to the wire so that <see cref="ToBytes"/> gives back exactly the bytes it came from:
/// <see cref="Head"/> is the text after the type byte up to CRLF ("OK", "3", "-1"...), <see cref="Payload"/> the
/// bulk-like payload, <see cref="Items"/> the elements of an aggregate (maps and attributes: key, value, key, value...),
/// <see cref="Attribute"/> a RESP3 attribute that preceded the value. Streamed forms are kept as raw bytes.
/// Used by the differential harness to normalise the few replies that inherently differ between servers.
/// </summary>
public sealed class RespValue
{
    public char Type { get; init; }
    public byte[] Head { get; init; } = [];
    public byte[]? Payload { get; init; }
    public List<RespValue>? Items { get; init; }
    public RespValue? Attribute { get; init; }
    /// <summary>Streamed strings/aggregates: the exact bytes, not split further.</summary>
    public byte[]? Raw { get; init; }

    public string HeadText => Encoding.Latin1.GetString(Head);
    public bool IsNull => (Type == '$' || Type == '*') && HeadText == "-1" || Type == '_';
    public bool IsError => Type is '-' or '!';
    public bool IsAggregate => Items != null;
    public bool IsBulkLike => Type is '$' or '=' && Payload != null;

    /// <summary>The text of a simple string, error, bulk, verbatim (without its "txt:" prefix) or number.</summary>
    public string Text => Type switch
    {
        '$' or '!' => Encoding.UTF8.GetString(Payload ?? []),
        '=' => Encoding.UTF8.GetString(Payload ?? []) is var s && s.Length >= 4 ? s[4..] : "",
        _ => Encoding.UTF8.GetString(Head),
    };

    public bool TryGetInteger(out long value)
    {
        value = 0;
        if (Type == ':') return long.TryParse(HeadText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        if (Type == '$' && Payload != null) return long.TryParse(Encoding.Latin1.GetString(Payload), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        return false;
    }

    public static RespValue Parse(byte[] bytes)
    {
        var pos = 0;
        var v = ParseValue(bytes, ref pos);
        if (pos != bytes.Length) throw new FormatException($"trailing bytes after a reply: {Resp.Escape(bytes.AsSpan(pos))}");
        return v;
    }

    private static RespValue ParseValue(byte[] b, ref int pos)
    {
        var start = pos;
        var type = (char)b[pos];
        var lineEnd = b.AsSpan(pos + 1).IndexOf("\r\n"u8) + pos + 1;
        var head = b[(pos + 1)..lineEnd];
        var next = lineEnd + 2;
        var headText = Encoding.Latin1.GetString(head);
        if (headText == "?")
        {
            // Streamed: keep the exact bytes.
            var len = Resp.MeasureReply(b.AsSpan(start));
            pos = start + len;
            return new RespValue { Type = type, Head = head, Raw = b[start..pos] };
        }
        switch (type)
        {
            case '$' or '=' or '!':
            {
                var len = int.Parse(headText, CultureInfo.InvariantCulture);
                if (len < 0)
                {
                    pos = next;
                    return new RespValue { Type = type, Head = head };
                }
                pos = next + len + 2;
                return new RespValue { Type = type, Head = head, Payload = b[next..(next + len)] };
            }
            case '*' or '~' or '>' or '%' or '|':
            {
                var count = int.Parse(headText, CultureInfo.InvariantCulture);
                pos = next;
                if (count < 0) return new RespValue { Type = type, Head = head };
                var n = type is '%' or '|' ? count * 2 : count;
                var items = new List<RespValue>(n);
                for (var i = 0; i < n; i++) items.Add(ParseValue(b, ref pos));
                var value = new RespValue { Type = type, Head = head, Items = items };
                if (type == '|')
                {
                    var annotated = ParseValue(b, ref pos);
                    return new RespValue
                    {
                        Type = annotated.Type, Head = annotated.Head, Payload = annotated.Payload, Items = annotated.Items,
                        Raw = annotated.Raw, Attribute = value,
                    };
                }
                return value;
            }
            default:
                pos = next;
                return new RespValue { Type = type, Head = head };
        }
    }

    public byte[] ToBytes()
    {
        var ms = new MemoryStream();
        Write(ms);
        return ms.ToArray();
    }

    private void Write(MemoryStream ms)
    {
        Attribute?.Write(ms);
        if (Raw != null)
        {
            ms.Write(Raw);
            return;
        }
        ms.WriteByte((byte)Type);
        ms.Write(Head);
        ms.Write("\r\n"u8);
        if (Payload != null)
        {
            ms.Write(Payload);
            ms.Write("\r\n"u8);
        }
        if (Items != null)
            foreach (var item in Items)
                item.Write(ms);
    }

    // ---- builders used by normalisers

    public static RespValue Simple(string text) => new() { Type = '+', Head = Encoding.UTF8.GetBytes(text) };

    public static RespValue Bulk(byte[] payload) => new()
    {
        Type = '$', Head = Encoding.ASCII.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture)), Payload = payload,
    };

    public RespValue WithItems(List<RespValue> items) => new()
    {
        Type = Type, Head = Encoding.ASCII.GetBytes((Type is '%' or '|' ? items.Count / 2 : items.Count).ToString(CultureInfo.InvariantCulture)),
        Items = items, Attribute = Attribute,
    };

    public override string ToString() => Resp.Escape(ToBytes());
}
