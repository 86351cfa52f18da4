using System.Text;

namespace AkkaRedis.Actors.Server;

/// <summary>
/// Redis's sdscatrepr: bytes in double quotes with C escapes for \\ " \n \r \t \a \b and \xHH for every other byte
/// that is not printable ASCII (isprint in the C locale). MONITOR lines, CONFIG REWRITE values and AOF manifest file
/// names are all written with it.
/// </summary>
public static class SdsRepr
{
    public static void Append(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        sb.Append('"');
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)'\\':
                case (byte)'"':
                    sb.Append('\\').Append((char)b);
                    break;
                case (byte)'\n': sb.Append("\\n"); break;
                case (byte)'\r': sb.Append("\\r"); break;
                case (byte)'\t': sb.Append("\\t"); break;
                case 7: sb.Append("\\a"); break;
                case 8: sb.Append("\\b"); break;
                default:
                    if (b >= 0x20 && b <= 0x7e) sb.Append((char)b);
                    else sb.Append("\\x").Append(b.ToString("x2"));
                    break;
            }
        }
        sb.Append('"');
    }

    public static string Of(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length + 2);
        Append(sb, bytes);
        return sb.ToString();
    }
}
