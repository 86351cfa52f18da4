using AkkaRedis.Actors.Server;
using AkkaRedis.Actors.Storage;
using AkkaRedis.Net.Resp;
using static AkkaRedis.Actors.Commands.Declare;

namespace AkkaRedis.Actors.Commands;

/// <summary>
/// Redis 7.0's SORT and SORT_RO (sort.c, sortCommandGeneric): a list, set or sorted set sorted numerically or with
/// ALPHA, by its elements or by keys named by a BY pattern, LIMIT, GET patterns, DESC, and STORE into a list.
/// </summary>
/// <remarks>
/// BY and GET patterns name keys that no key spec can name (Redis marks them "unknown"; its getkeys_proc returns only
/// the sorted key and the STORE destination): <see cref="PatternRouting"/> tells the session when such a request must run
/// with every shard held, so that <c>c.Db(patternKey)</c> reads the shard that really owns the key.
/// </remarks>
public static class SortCommands
{
    private const string ScoreError = "ERR One or more scores can't be converted into double";

    public static void Register(CommandTable t)
    {
        var acl = A("set sortedset list dangerous");
        t.Add(new("sort", -2, F("write denyoom"), 1, 1, 1, acl)
        {
            Handler = c => Sort(c, readOnly: false),
            KeySpecFlags = ["RO access", "RO access", "OW update"],
            KeySpecSearch = ["", "unknown unknown", "unknown unknown"],
            KeyFinder = (args, keys) => FindKeys(args, keys, withStore: true),
            VariableKeyFlags = (_, ordinal) => ordinal == 0 ? "RO access" : "OW update",
            RoutingKeys = PatternRouting,
        });
        t.Add(new("sort_ro", -2, F("readonly"), 1, 1, 1, acl)
        {
            Handler = c => Sort(c, readOnly: true),
            KeySpecFlags = ["RO access", "RO access"],
            KeySpecSearch = ["", "unknown unknown"],
            KeyFinder = (args, keys) => FindKeys(args, keys, withStore: false),
            VariableKeyFlags = (_, _) => "RO access",
            RoutingKeys = PatternRouting,
        });
    }

    // ---- keys -------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Redis's sortGetKeys / sortROGetKeys (db.c): the sorted key, and for SORT the destination of the last STORE.
    /// Options are skipped as sortGetKeys skips them (LIMIT 2 arguments, GET and BY one, anything else none), which is
    /// not quite how SORT parses them (e.g. "STORE" as a GET pattern): the key positions are Redis's either way.
    /// </summary>
    private static void FindKeys(CommandArgs args, List<int> keys, bool withStore)
    {
        keys.Add(1);
        if (!withStore) return;
        var store = -1;
        for (var i = 2; i < args.Length; i++)
        {
            if (Keywords.Is(args[i], "limit")) i += 2;
            else if (Keywords.Is(args[i], "get") || Keywords.Is(args[i], "by")) i += 1;
            else if (Keywords.Is(args[i], "store") && i + 1 < args.Length) store = i + 1;
        }
        if (store > 0) keys.Add(store);
    }

    /// <summary>
    /// For the session's routing (<see cref="CommandDef.RoutingKeys"/>): true when every key the request's BY and GET
    /// patterns can name has the hash slot of an argument appended to <paramref name="keyIndexes"/> (the pattern
    /// itself, when its hash tag is fixed: <c>{user}:*</c>), or when it names none (a BY without '*' sorts nothing,
    /// GET # is the element); false when they may be anywhere, and the request needs every shard held. The options
    /// are walked as SORT parses them (<see cref="Parse"/>); a request that will fail to parse reads no pattern key.
    /// </summary>
    private static bool PatternRouting(CommandArgs args, List<int> keyIndexes)
    {
        for (var j = 2; j < args.Length; j++)
        {
            var left = args.Length - j - 1;
            if (Keywords.Is(args[j], "limit") && left >= 2) j += 2;
            else if (Keywords.Is(args[j], "store") && left >= 1) j++;
            else if ((Keywords.Is(args[j], "by") || Keywords.Is(args[j], "get")) && left >= 1)
            {
                j++;
                ReadOnlySpan<byte> pattern = args[j];
                var star = pattern.IndexOf((byte)'*');
                if (star < 0) continue; // no key: BY sorts nothing, GET replies nil (or the element, for #)
                if (!HasFixedHashTag(pattern, star)) return false;
                keyIndexes.Add(j);
            }
        }
        return true;
    }

    /// <summary>Whether every key the pattern names hashes like the pattern itself: Redis Cluster's hash tag (the first
    /// '{' and the first '}' after it, non-empty between) lies wholly before the '*' that is substituted.</summary>
    private static bool HasFixedHashTag(ReadOnlySpan<byte> pattern, int star)
    {
        var open = pattern.IndexOf((byte)'{');
        if (open < 0 || open > star) return false;
        var close = pattern[(open + 1)..].IndexOf((byte)'}');
        return close > 0 && open + 1 + close < star;
    }

    // ---- the command ------------------------------------------------------------------------------------------------

    private sealed class Options
    {
        public bool Desc, Alpha, DontSort;
        public long LimitStart, LimitCount = -1;
        public byte[]? SortBy;
        public int StoreIndex = -1;
        public readonly List<byte[]> Gets = new();
    }

    /// <summary>One element being sorted (Redis's redisSortObject): its score, or its BY value for ALPHA.</summary>
    private struct Item
    {
        public byte[] Element;
        public double Score;
        public byte[]? CompareBy;
        public int Position;
    }

    /// <summary>sortCommandGeneric: parse, look the key up, load, weigh, sort, then reply or STORE.</summary>
    private static void Sort(ExecContext c, bool readOnly)
    {
        var o = new Options();
        if (!Parse(c, readOnly, o)) return;

        var key = c.Args[1];
        var db = c.Db(key);
        // Redis looks the key up for writing when it stores (lookupKeyWrite: no hit/miss counted).
        var obj = o.StoreIndex < 0 ? db.Lookup(key, c.Now) : db.LookupWrite(key, c.Now);
        if (obj.Exists && obj.Type is not (RedisType.List or RedisType.Set or RedisType.ZSet))
        {
            c.Reply.Error(Errors.WrongType);
            return;
        }
        var type = obj.Exists ? obj.Type : RedisType.List; // a missing key sorts as an empty list

        // A set has no order of its own: when its "unsorted" result is stored (and in scripts, which AkkaRedis does not
        // run yet), Redis sorts it ALPHA so that replicas and the AOF get the same list.
        if (o.DontSort && type == RedisType.Set && o.StoreIndex >= 0)
        {
            o.DontSort = false;
            o.Alpha = true;
            o.SortBy = null;
        }

        // sortCommandGeneric converts a sorted set to its skip list before loading it ("destructively"): after SORT
        // even a small one reports OBJECT ENCODING skiplist.
        if (type == RedisType.ZSet && obj.Value is byte[] compact) db.ReplaceValue(obj, ObjectEncoding.SkipList, ZSetListpack.ToSkipList(compact));

        var length = obj.Exists ? Length(obj) : 0;
        // LIMIT sanity as Redis: clamp to the size, an offset past the end selects nothing.
        var start = Math.Min(Math.Max(o.LimitStart, 0), length);
        var count = Math.Min(Math.Max(o.LimitCount, -1), length);
        var end = count < 0 ? length - 1 : start + count - 1;
        if (start >= length)
        {
            start = length - 1;
            end = length - 2;
        }
        if (end >= length) end = length - 1;

        var items = obj.Exists ? LoadElements(obj, o, ref start, ref end) : [];
        if (!o.DontSort && !Weigh(c, o, items)) return;

        var outputLength = (int)(end - start + 1) * Math.Max(1, o.Gets.Count);
        if (o.StoreIndex < 0)
        {
            c.Reply.ArrayHeader(outputLength);
            for (var j = start; j <= end; j++)
            {
                var element = items[j].Element;
                if (o.Gets.Count == 0) c.Reply.Bulk(element);
                foreach (var pattern in o.Gets)
                {
                    var value = LookupByPattern(c, pattern, element);
                    if (value == null) c.Reply.NullBulk();
                    else c.Reply.Bulk(value);
                }
            }
            return;
        }
        Store(c, o, items, start, end, outputLength);
    }

    /// <summary>The option loop of sortCommandGeneric: later options override earlier ones; the first bad one replies.</summary>
    private static bool Parse(ExecContext c, bool readOnly, Options o)
    {
        for (var j = 2; j < c.Argc; j++)
        {
            var left = c.Argc - j - 1;
            if (c.ArgIs(j, "asc")) o.Desc = false;
            else if (c.ArgIs(j, "desc")) o.Desc = true;
            else if (c.ArgIs(j, "alpha")) o.Alpha = true;
            else if (c.ArgIs(j, "limit") && left >= 2)
            {
                if (!RedisNumbers.TryParseLong(c.Args[j + 1], out o.LimitStart) ||
                    !RedisNumbers.TryParseLong(c.Args[j + 2], out o.LimitCount))
                {
                    c.Reply.Error(Errors.NotInteger);
                    return false;
                }
                j += 2;
            }
            else if (!readOnly && c.ArgIs(j, "store") && left >= 1) o.StoreIndex = ++j;
            else if (c.ArgIs(j, "by") && left >= 1)
            {
                o.SortBy = c.Args[++j].ToArray();
                // A BY without '*' names no key: nothing to weigh, the elements keep their own order. As in Redis, a
                // later BY with a pattern does not undo it.
                if (o.SortBy.AsSpan().IndexOf((byte)'*') < 0) o.DontSort = true;
            }
            else if (c.ArgIs(j, "get") && left >= 1) o.Gets.Add(c.Args[++j].ToArray());
            else
            {
                c.Reply.Error(Errors.Syntax);
                return false;
            }
        }
        return true;
    }

    // ---- element sources (one switch on the type) -------------------------------------------------------------------

    private static long Length(KeyEntry obj) => obj.Type switch
    {
        RedisType.List => ((RedisList)obj.Value).Count,
        RedisType.ZSet => ZSet.Length(obj.Value),
        RedisType.Set => SetValue.Of(obj).Count,
        _ => throw new NotSupportedException($"SORT of a {RedisObject.TypeName(obj.Type)}"),
    };

    /// <summary>
    /// The elements to sort (Redis's vector loading). With nothing to sort (BY without '*'), a list or sorted set loads
    /// only the LIMIT range, in DESC order when asked, and <paramref name="start"/>/<paramref name="end"/> become
    /// indexes into that range, as sortCommandGeneric's direct loading does.
    /// </summary>
    private static Item[] LoadElements(KeyEntry obj, Options o, ref long start, ref long end)
    {
        switch (obj.Type)
        {
            case RedisType.List:
            {
                var list = (RedisList)obj.Value;
                if (!o.DontSort) return Items(list, 0, list.Count, desc: false);
                if (end < start) return []; // nothing selected; start/end stay as they are (outputlen 0)
                var items = Items(list, start, end - start + 1, o.Desc);
                end -= start;
                start = 0;
                return items;
            }
            case RedisType.ZSet:
            {
                // Already a skip list (see Sort). With nothing to sort, only the LIMIT range by rank (from the top
                // when DESC), in the set's own order; otherwise every member (in order here, Redis takes dict order:
                // they are sorted next either way).
                var set = (RedisSortedSet)obj.Value;
                if (!o.DontSort) return ZSetItems(set.First, set.Count, desc: false);
                if (end < start) return [];
                var first = o.Desc ? set.ByRank(set.Count - 1 - start) : set.ByRank(start);
                var items = ZSetItems(first, end - start + 1, o.Desc);
                end -= start;
                start = 0;
                return items;
            }
            case RedisType.Set:
            {
                // Every member in the set's own iteration order (intset ascending, hashtable in table order: that
                // order is what "BY nosort" replies); no range loading.
                var items = new Item[SetValue.Of(obj).Count];
                var j = 0;
                foreach (var member in SetValue.Of(obj))
                {
                    items[j] = new Item { Element = member.ToArray(), Position = j };
                    j++;
                }
                return items;
            }
            default:
                throw new NotSupportedException($"SORT of a {RedisObject.TypeName(obj.Type)}");
        }
    }

    /// <summary><paramref name="count"/> sorted-set members from <paramref name="first"/> on, towards the lowest when
    /// <paramref name="desc"/>.</summary>
    private static Item[] ZSetItems(RedisSortedSet.Node? first, long count, bool desc)
    {
        var items = new Item[count];
        var node = first;
        for (var j = 0; j < items.Length; j++, node = desc ? node!.Backward : node!.Next)
            items[j] = new Item { Element = node!.Member, Position = j };
        return items;
    }

    /// <summary><paramref name="count"/> list elements from index <paramref name="first"/> (counted from the tail when
    /// <paramref name="desc"/>), walking towards the other end.</summary>
    private static Item[] Items(RedisList list, long first, long count, bool desc)
    {
        var items = new Item[count];
        for (var j = 0; j < items.Length; j++)
        {
            var index = desc ? list.Count - 1 - first - j : first + j;
            items[j] = new Item { Element = list[(int)index], Position = j };
        }
        return items;
    }

    /// <summary>
    /// The value of a hash field a "key->field" pattern names (Redis's hashTypeGetValueObject), or null when the
    /// field is missing.
    /// </summary>
    private static byte[]? HashField(KeyEntry hash, ReadOnlySpan<byte> field) =>
        RedisHash.TryGet(hash.Value, field, out var value) ? value.ToArray() : null;

    // ---- weighing and sorting ---------------------------------------------------------------------------------------

    /// <summary>
    /// Loads each element's weight (its own value, or the BY key's) and sorts. A missing BY key weighs 0, or sorts
    /// first with ALPHA. False, after replying, when a weight is not a number (Redis still sorts and loads, then
    /// replies the error instead of the result: nothing is stored).
    /// </summary>
    private static bool Weigh(ExecContext c, Options o, Item[] items)
    {
        var conversionError = false;
        for (var j = 0; j < items.Length; j++)
        {
            byte[]? by;
            if (o.SortBy != null)
            {
                by = LookupByPattern(c, o.SortBy, items[j].Element);
                if (by == null) continue;
            }
            else by = items[j].Element;
            if (o.Alpha)
            {
                if (o.SortBy != null) items[j].CompareBy = by;
            }
            else if (TryParseScore(by, out var score)) items[j].Score = score;
            else conversionError = true;
        }
        if (conversionError)
        {
            c.Reply.Error(ScoreError);
            return false;
        }
        var comparer = new Comparer(o.Desc, o.Alpha, o.SortBy != null, binary: o.StoreIndex >= 0);
        Array.Sort(items, comparer);
        return true;
    }

    /// <summary>
    /// Redis's sortCompare. Numbers tie-break on the elements' bytes; ALPHA compares as strcoll does when replying
    /// (this server, like redis-server here, runs in the C/C.UTF-8 collation: byte order up to the first NUL) and
    /// as bytes when storing (the stored list must not depend on the locale). Equal elements keep their loading order:
    /// glibc's qsort is a stable merge sort. (Redis sorts a BY + LIMIT request with its own pqsort, which is not
    /// stable: elements whose ALPHA BY values are equal may come out in another order there.)
    /// </summary>
    private sealed class Comparer(bool desc, bool alpha, bool byPattern, bool binary) : IComparer<Item>
    {
        public int Compare(Item a, Item b)
        {
            int cmp;
            if (!alpha)
                cmp = a.Score > b.Score ? 1 : a.Score < b.Score ? -1 : Bytes(a.Element, b.Element, binary: true);
            else if (byPattern)
            {
                if (a.CompareBy == null || b.CompareBy == null)
                    cmp = a.CompareBy == b.CompareBy ? 0 : a.CompareBy == null ? -1 : 1;
                else cmp = Bytes(a.CompareBy, b.CompareBy, binary);
            }
            else cmp = Bytes(a.Element, b.Element, binary);
            if (desc) cmp = -cmp;
            return cmp != 0 ? cmp : a.Position.CompareTo(b.Position);
        }

        /// <summary>memcmp then length (compareStringObjects), or strcmp of the C strings (strcoll in the C locale).</summary>
        private static int Bytes(byte[] a, byte[] b, bool binary)
        {
            ReadOnlySpan<byte> x = a, y = b;
            if (!binary)
            {
                x = CString.Of(x);
                y = CString.Of(y);
            }
            return Math.Sign(x.SequenceCompareTo(y));
        }
    }

    /// <summary>
    /// An element's numeric weight as sortCommandGeneric reads it: strtod over the C string (up to a NUL), which
    /// accepts leading spaces, hex, "inf" and an empty string (0), and refuses trailing characters, NaN and ERANGE
    /// (overflow, or an underflow to zero or a subnormal). Redis does not clear errno first, so after one ERANGE it may
    /// refuse good numbers too until some other call resets errno: a quirk not reproduced.
    /// </summary>
    internal static bool TryParseScore(ReadOnlySpan<byte> value, out double score)
    {
        score = 0;
        var s = CString.Of(value);
        var i = 0;
        while (i < s.Length && CString.IsSpace(s[i])) i++;
        if (i == s.Length) return s.Length == 0; // no conversion: the end pointer is the start, fine only when empty
        var body = s[i..];
        var negative = body[0] == '-';
        var unsigned = body[0] is (byte)'-' or (byte)'+' ? body[1..] : body;
        if (IsWord(unsigned, "inf") || IsWord(unsigned, "infinity"))
        {
            score = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (unsigned.Length > 2 && unsigned[0] == '0' && (unsigned[1] | 0x20) == 'x')
            return RedisNumbers.TryParseDouble(body, out score); // hex: its own checks (no NaN, no overflow)
        // Decimal: digits, an optional fraction, an optional exponent, nothing after.
        var k = 0;
        var digits = 0;
        var nonZero = false;
        for (; k < unsigned.Length && char.IsAsciiDigit((char)unsigned[k]); k++, digits++) nonZero |= unsigned[k] != '0';
        if (k < unsigned.Length && unsigned[k] == '.')
            for (k++; k < unsigned.Length && char.IsAsciiDigit((char)unsigned[k]); k++, digits++) nonZero |= unsigned[k] != '0';
        if (digits == 0) return false;
        if (k < unsigned.Length && (unsigned[k] | 0x20) == 'e')
        {
            k++;
            if (k < unsigned.Length && unsigned[k] is (byte)'+' or (byte)'-') k++;
            var expDigits = 0;
            for (; k < unsigned.Length && char.IsAsciiDigit((char)unsigned[k]); k++) expDigits++;
            if (expDigits == 0) return false; // "1e" stops before the 'e': trailing characters
        }
        if (k != unsigned.Length) return false;
        if (!double.TryParse(body, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out score))
            return false;
        // ERANGE: overflow to infinity, or a non-zero number that rounds to zero or to a subnormal.
        if (double.IsInfinity(score)) return false;
        if (nonZero && Math.Abs(score) < 2.2250738585072014e-308) return false;
        return true;
    }

    private static bool IsWord(ReadOnlySpan<byte> s, string word) => Keywords.Is(s, word);

    // ---- patterns ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// Redis's lookupKeyByPattern: "#" is the element itself; otherwise the first '*' is replaced by the element and
    /// the key read as a string, or, when "->field" (a non-empty field) follows the '*', the field of that key's hash.
    /// Null for a pattern without '*', a missing key or field, or a key of another type.
    /// </summary>
    private static byte[]? LookupByPattern(ExecContext c, byte[] pattern, byte[] element)
    {
        if (pattern is [(byte)'#']) return element;
        var star = pattern.AsSpan().IndexOf((byte)'*');
        if (star < 0) return null;
        var arrow = pattern.AsSpan(star + 1).IndexOf("->"u8);
        var fieldStart = arrow < 0 ? -1 : star + 1 + arrow + 2;
        if (fieldStart >= pattern.Length) fieldStart = -1; // "key->" with nothing after: a plain key name
        var suffixEnd = fieldStart < 0 ? pattern.Length : fieldStart - 2;

        var keyLength = star + element.Length + (suffixEnd - star - 1);
        var key = keyLength <= 256 ? stackalloc byte[keyLength] : new byte[keyLength];
        pattern.AsSpan(0, star).CopyTo(key);
        element.CopyTo(key[star..]);
        pattern.AsSpan(star + 1, suffixEnd - star - 1).CopyTo(key[(star + element.Length)..]);

        var obj = c.Db(key).Lookup(key, c.Now);
        if (!obj.Exists) return null;
        if (fieldStart >= 0) return obj.Type == RedisType.Hash ? HashField(obj, pattern.AsSpan(fieldStart)) : null;
        if (obj.Type != RedisType.String) return null;
        Span<byte> scratch = stackalloc byte[24];
        return obj.StringBytes(scratch).ToArray();
    }

    // ---- STORE ------------------------------------------------------------------------------------------------------

    /// <summary>
    /// The result as a new list at the destination (replacing any value and its TTL); an empty result deletes the
    /// destination. A missing GET value is stored as an empty string. Redis propagates the SORT as sent when the
    /// destination changed.
    /// </summary>
    private static void Store(ExecContext c, Options o, Item[] items, long start, long end, int outputLength)
    {
        var dest = c.Args[o.StoreIndex];
        var db = c.Db(dest);
        if (outputLength > 0)
        {
            var list = new RedisList(outputLength);
            for (var j = start; j <= end; j++)
            {
                if (o.Gets.Count == 0) list.PushTail(items[j].Element);
                foreach (var pattern in o.Gets) list.PushTail(LookupByPattern(c, pattern, items[j].Element) ?? []);
            }
            db.LookupWrite(dest, c.Now); // setKey's lookupKeyWrite: an expired destination is expired (DEL) first
            db.SetValue(dest, RedisType.List, ObjectEncoding.QuickList, list, c.Now);
            c.KeyModified(db, dest); // setKey's signalModifiedKey
            c.Notify(ServerConfig.NotifyList, "sortstore", dest);
            c.Propagate();
        }
        else if (db.RemoveIgnoringExpiry(dest)) // dbDelete: an expired destination counts as deleted
        {
            c.KeyModified(db, dest);
            c.Notify(ServerConfig.NotifyGeneric, "del", dest);
            c.Propagate();
        }
        c.Reply.Integer(outputLength);
    }
}
