using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Buffers;
using SovereignTrajectories.Nostr.Codecs;

namespace SovereignTrajectories.Nostr.Events;

/// <summary>
/// Strict NIP-01 event parsing. Exactly one JSON object with the seven fields at their exact types:
/// <c>id</c>/<c>pubkey</c> 64 and <c>sig</c> 128 lower-case hex, <c>created_at</c> a non-negative
/// integer written without fraction or exponent, <c>kind</c> an integer 0-65535, <c>tags</c> an array
/// of non-empty arrays of strings, <c>content</c> a string. Unknown fields are ignored, but any key
/// appearing twice is rejected (parsers disagree about which copy wins), as are lone surrogates.
/// Every rejection is an <see cref="EventFormatException"/> naming the field. This checks form only:
/// the id and signature are the verifier's job.
/// </summary>
public static class EventParser
{
    private const string NotUnicodeReason = "is not valid Unicode text (a lone surrogate escape or invalid UTF-8)";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Tag names and markers common enough to share one instance (ASCII, at most 16 characters).</summary>
    private static readonly string[] KnownTagTexts =
    [
        "", "d", "e", "p", "a", "t", "seq", "session", "root", "reply", "mention", "action_type", "tool_invoked",
        "input_hash", "output_hash", "model", "started_at", "ended_at", "visibility", "alt", "merkle_root",
        "verification", "step", "tick", "repo", "sha",
    ];

    [Flags]
    private enum Seen
    {
        None = 0,
        Id = 1,
        PubKey = 2,
        CreatedAt = 4,
        Kind = 8,
        Tags = 16,
        Content = 32,
        Sig = 64,
        All = 127,
    }

    /// <summary>Parses one event from UTF-8 JSON; nothing but whitespace may follow the object.</summary>
    public static NostrEvent Parse(ReadOnlySpan<byte> utf8Json) => ParseWhole(utf8Json, null, null, null);

    /// <summary>Parses one event from a JSON string.</summary>
    public static NostrEvent Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException ex)
        {
            throw new EventFormatException("json", $"contains a lone UTF-16 surrogate at index {ex.Index}", ex);
        }

        return Parse(utf8);
    }

    /// <summary>
    /// Parses the event object the reader is positioned on (its StartObject) and leaves the reader on
    /// the matching EndObject. The reader must hold the whole object (a final block). JSON syntax
    /// errors surface as <see cref="EventFormatException"/> with field "json".
    /// </summary>
    public static NostrEvent Parse(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new EventFormatException("json", $"must be a JSON object, found {Describe(reader.TokenType)}");
        }

        try
        {
            return ParseObject(ref reader, null, null, null);
        }
        catch (JsonException ex)
        {
            throw new EventFormatException("json", $"is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Parses like <see cref="Parse(ReadOnlySpan{byte})"/> and, in the same pass, writes the NIP-01 id of
    /// the parsed event (SHA-256 of its canonical preimage) into <paramref name="computedId32"/>: string
    /// values whose escapes are already canonical are copied as they are, others re-escaped. The result
    /// is always what <see cref="EventId.Compute(NostrEvent)"/> gives for the returned event; a verifier
    /// compares it with the claimed id instead of serialising the event again.
    /// </summary>
    public static NostrEvent Parse(ReadOnlySpan<byte> utf8Json, Span<byte> computedId32) => Parse(utf8Json, computedId32, null);

    /// <summary>
    /// Like <see cref="Parse(ReadOnlySpan{byte}, Span{byte})"/>, taking the values events repeat (pubkey,
    /// shared tags, ids named by replies) from <paramref name="sharedValues"/> instead of making a copy per
    /// event. The event is equal to the one parsed without the pool, and so is every rejection.
    /// </summary>
    public static NostrEvent Parse(ReadOnlySpan<byte> utf8Json, Span<byte> computedId32, EventValuePool? sharedValues) =>
        Parse(utf8Json, computedId32, sharedValues, null);

    /// <summary>
    /// Like <see cref="Parse(ReadOnlySpan{byte}, Span{byte}, EventValuePool?)"/>, keeping the content as UTF-8
    /// in <paramref name="contents"/> when given (see <see cref="Utf8ContentArena"/>). The event is equal to
    /// the one parsed without the arena, and so is every rejection.
    /// </summary>
    public static NostrEvent Parse(ReadOnlySpan<byte> utf8Json, Span<byte> computedId32, EventValuePool? sharedValues, Utf8ContentArena? contents)
    {
        if (computedId32.Length != 32)
        {
            throw new ArgumentException($"the id destination must be 32 bytes, got {computedId32.Length}", nameof(computedId32));
        }

        using var preimage = new IdPreimage(utf8Json.Length);
        NostrEvent e = ParseWhole(utf8Json, preimage, sharedValues, contents);
        preimage.Hash(e.PubKey, e.CreatedAt, e.Kind, computedId32);
        return e;
    }

    /// <summary>One whole event (nothing but whitespace after it), feeding <paramref name="preimage"/> when given.</summary>
    private static NostrEvent ParseWhole(ReadOnlySpan<byte> utf8Json, IdPreimage? preimage, EventValuePool? pool, Utf8ContentArena? contents)
    {
        if (utf8Json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new EventFormatException("json", "is empty");
        }

        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false });
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new EventFormatException("json", $"must be a JSON object, found {Describe(reader.TokenType)}");
            }

            NostrEvent e = ParseObject(ref reader, preimage, pool, contents);
            if (reader.Read())
            {
                throw new EventFormatException("json", $"has {Describe(reader.TokenType)} after the event object");
            }

            return e;
        }
        catch (JsonException ex)
        {
            throw new EventFormatException("json", $"is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Like <see cref="Parse(ReadOnlySpan{byte}, Span{byte})"/>, but reports a rejection instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, Span<byte> computedId32, [NotNullWhen(true)] out NostrEvent? ev, [NotNullWhen(false)] out EventFormatException? error) =>
        TryParse(utf8Json, computedId32, null, out ev, out error);

    /// <summary>Like <see cref="Parse(ReadOnlySpan{byte}, Span{byte}, EventValuePool?)"/>, but reports a rejection instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, Span<byte> computedId32, EventValuePool? sharedValues, [NotNullWhen(true)] out NostrEvent? ev, [NotNullWhen(false)] out EventFormatException? error) =>
        TryParse(utf8Json, computedId32, sharedValues, null, out ev, out error);

    /// <summary>Like <see cref="Parse(ReadOnlySpan{byte}, Span{byte}, EventValuePool?, Utf8ContentArena?)"/>, but reports a rejection instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, Span<byte> computedId32, EventValuePool? sharedValues, Utf8ContentArena? contents, [NotNullWhen(true)] out NostrEvent? ev, [NotNullWhen(false)] out EventFormatException? error)
    {
        try
        {
            ev = Parse(utf8Json, computedId32, sharedValues, contents);
            error = null;
            return true;
        }
        catch (EventFormatException ex)
        {
            ev = null;
            error = ex;
            return false;
        }
    }

    /// <summary>Like <see cref="Parse(ReadOnlySpan{byte})"/>, but reports a rejection instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out NostrEvent? ev, [NotNullWhen(false)] out EventFormatException? error)
    {
        try
        {
            ev = Parse(utf8Json);
            error = null;
            return true;
        }
        catch (EventFormatException ex)
        {
            ev = null;
            error = ex;
            return false;
        }
    }

    private static NostrEvent ParseObject(ref Utf8JsonReader reader, IdPreimage? preimage, EventValuePool? pool, Utf8ContentArena? contents)
    {
        Seen seen = Seen.None;
        List<string>? unknownKeys = null;
        string? id = null, pubKey = null;
        ContentValue content = default;
        SignatureValue sig = default;
        long createdAt = 0;
        int kind = 0;
        TagList? tags = null;

        while (true)
        {
            Read(ref reader, "json");
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                break;
            }

            // The reader only yields PropertyName here: it enforces object grammar itself.
            Seen field = FieldOf(ref reader);
            if (field == Seen.None)
            {
                string name = GetString(ref reader, "json");
                unknownKeys ??= [];
                if (unknownKeys.Contains(name, StringComparer.Ordinal))
                {
                    throw new EventFormatException(name, "appears more than once");
                }

                unknownKeys.Add(name);
                Read(ref reader, name);
                reader.Skip();
                continue;
            }

            string fieldName = NameOf(field);
            if ((seen & field) != 0)
            {
                throw new EventFormatException(fieldName, "appears more than once");
            }

            seen |= field;
            Read(ref reader, fieldName);
            switch (field)
            {
                case Seen.Id:
                    // With a pool, the id is the one instance a later reply's e tag gets too.
                    id = pool is not null && IsPlainLowerHex64(ref reader) ? pool.Id(reader.ValueSpan) : ReadHex(ref reader, "id", 64);
                    break;
                case Seen.PubKey:
                    pubKey = pool is not null && IsPlainLowerHex64(ref reader) ? pool.AsciiText(reader.ValueSpan) : ReadHex(ref reader, "pubkey", 64);
                    break;
                case Seen.Sig:
                    // Straight from the bytes when they are plain lower-case hex; any other text takes the
                    // path that reports exactly what is wrong with it.
                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped || !SignatureValue.TryFromLowerHex(reader.ValueSpan, out sig))
                    {
                        sig = SignatureValue.FromText(ReadHex(ref reader, "sig", 128));
                    }


                    break;
                case Seen.CreatedAt:
                    createdAt = ReadInteger(ref reader, "created_at", long.MaxValue);
                    break;
                case Seen.Kind:
                    kind = (int)ReadInteger(ref reader, "kind", 65535);
                    break;
                case Seen.Content:
                    content = ReadContent(ref reader, contents, preimage);
                    break;
                case Seen.Tags:
                    tags = ReadTags(ref reader, preimage, pool);
                    break;
            }
        }

        if (seen != Seen.All)
        {
            foreach (Seen f in (ReadOnlySpan<Seen>)[Seen.Id, Seen.PubKey, Seen.CreatedAt, Seen.Kind, Seen.Tags, Seen.Content, Seen.Sig])
            {
                if ((seen & f) == 0)
                {
                    throw new EventFormatException(NameOf(f), "is missing");
                }
            }
        }

        return new NostrEvent(id!, pubKey!, createdAt, kind, tags!, content, sig);
    }

    private static Seen FieldOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            // Rare: a key spelled with escapes still means the same key, so compare its unescaped text.
            return GetString(ref reader, "json") switch
            {
                "id" => Seen.Id,
                "pubkey" => Seen.PubKey,
                "created_at" => Seen.CreatedAt,
                "kind" => Seen.Kind,
                "tags" => Seen.Tags,
                "content" => Seen.Content,
                "sig" => Seen.Sig,
                _ => Seen.None,
            };
        }

        ReadOnlySpan<byte> name = reader.ValueSpan;
        return name switch
        {
            _ when name.SequenceEqual("id"u8) => Seen.Id,
            _ when name.SequenceEqual("pubkey"u8) => Seen.PubKey,
            _ when name.SequenceEqual("created_at"u8) => Seen.CreatedAt,
            _ when name.SequenceEqual("kind"u8) => Seen.Kind,
            _ when name.SequenceEqual("tags"u8) => Seen.Tags,
            _ when name.SequenceEqual("content"u8) => Seen.Content,
            _ when name.SequenceEqual("sig"u8) => Seen.Sig,
            _ => Seen.None,
        };
    }

    private static string NameOf(Seen field) => field switch
    {
        Seen.Id => "id",
        Seen.PubKey => "pubkey",
        Seen.CreatedAt => "created_at",
        Seen.Kind => "kind",
        Seen.Tags => "tags",
        Seen.Content => "content",
        Seen.Sig => "sig",
        _ => "json",
    };

    private static string ReadHex(ref Utf8JsonReader reader, string field, int length)
    {
        string value = ReadString(ref reader, field);
        if (value.Length != length)
        {
            throw new EventFormatException(field, $"must be {length} lower-case hex characters, found {value.Length} characters");
        }

        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                string what = char.IsAsciiHexDigitUpper(c) ? "an upper-case hex digit" : "a character that is not hex";
                throw new EventFormatException(field, $"must be lower-case hex, found {what} at position {i}");
            }
        }

        return value;
    }

    /// <summary>A string token written as exactly 64 lower-case hex digits, no escapes: nothing left to check.</summary>
    private static bool IsPlainLowerHex64(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence && Hex.IsLowerHex(reader.ValueSpan, 64);

    private static long ReadInteger(ref Utf8JsonReader reader, string field, long max)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new EventFormatException(field, $"must be an integer, found {Describe(reader.TokenType)}");
        }

        // Numbers are never escaped, so ValueSpan is exactly the text as written.
        ReadOnlySpan<byte> raw = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
        if (raw.Length > 0 && raw[0] == (byte)'-')
        {
            throw new EventFormatException(field, $"must not be negative, found {System.Text.Encoding.UTF8.GetString(raw)}");
        }

        foreach (byte b in raw)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                throw new EventFormatException(field, $"must be an integer without fraction or exponent, found {System.Text.Encoding.UTF8.GetString(raw)}");
            }
        }

        if (!reader.TryGetInt64(out long value) || value > max)
        {
            throw new EventFormatException(field, $"must be at most {max}, found {System.Text.Encoding.UTF8.GetString(raw)}");
        }

        return value;
    }

    private static string ReadString(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new EventFormatException(field, $"must be a string, found {Describe(reader.TokenType)}");
        }

        return GetString(ref reader, field);
    }

    private static ContentValue ReadContent(ref Utf8JsonReader reader, Utf8ContentArena? arena, IdPreimage? preimage)
    {
        if (arena is null || reader.TokenType != JsonTokenType.String || reader.HasValueSequence)
        {
            string text = ReadString(ref reader, "content");
            preimage?.Content(ref reader, text);
            return ContentValue.FromText(text);
        }

        // Unescaping never makes UTF-8 longer, so the raw length bounds the result.
        ReadOnlySpan<byte> raw = reader.ValueSpan;
        byte[]? rented = null;
        Span<byte> buffer = !reader.ValueIsEscaped ? default
            : raw.Length <= 1024 ? stackalloc byte[1024]
            : (rented = ArrayPool<byte>.Shared.Rent(raw.Length));
        try
        {
            scoped ReadOnlySpan<byte> utf8 = raw;
            if (reader.ValueIsEscaped)
            {
                try
                {
                    utf8 = buffer[..reader.CopyString(buffer)];
                }
                catch (InvalidOperationException ex)
                {
                    throw NotUnicode("content", ex);
                }
            }

            // The reader checks escapes, not the bytes themselves; GetString would refuse these.
            if (!System.Text.Unicode.Utf8.IsValid(utf8))
            {
                throw new EventFormatException("content", NotUnicodeReason);
            }

            preimage?.Content(ref reader, null);
            return ContentValue.FromUtf8(arena.Add(utf8));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string GetString(ref Utf8JsonReader reader, string field)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw NotUnicode(field, ex);
        }
    }

    private static TagList ReadTags(ref Utf8JsonReader reader, IdPreimage? preimage, EventValuePool? pool)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new EventFormatException("tags", $"must be an array of arrays of strings, found {Describe(reader.TokenType)}");
        }

        // Gathered on the stack: what is left on the heap is one exact-size array per tag and one for the list.
        var tags = new ScratchList<Tag>();
        var values = new ScratchList<string>();
        preimage?.BeginTags();
        int i = 0;
        while (true)
        {
            Read(ref reader, "tags");
            if (reader.TokenType == JsonTokenType.EndArray)
            {
                break;
            }

            // Field names like tags[3][1] are built only on the error paths: formatting them for every
            // value made them a large share of parsing a well-formed event.
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new EventFormatException(TagField(i), $"must be an array of strings, found {Describe(reader.TokenType)}");
            }

            values.Clear();
            preimage?.BeginTag(i);
            bool sharedWhole = false;
            bool isE = false;
            int j = 0;
            while (true)
            {
                if (!reader.Read())
                {
                    throw new EventFormatException(TagField(i), "ends before its value is complete (truncated JSON)");
                }

                if (reader.TokenType == JsonTokenType.EndArray)
                {
                    break;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    throw new EventFormatException($"{TagField(i)}[{j}]", $"must be a string, found {Describe(reader.TokenType)}");
                }

                // A reply's e id is the pooled id of the event it names; names, and every value of a tag shared
                // whole, repeat across events; unique values (d, seq, hashes) would only cost a dictionary look-up.
                string value = pool is not null && j == 1 && isE && !sharedWhole && IsPlainLowerHex64(ref reader)
                    ? pool.Id(reader.ValueSpan)
                    : GetTagValue(ref reader, i, j, j == 0 || sharedWhole ? pool : null);
                if (j == 0 && pool is not null)
                {
                    sharedWhole = pool.SharesWholeTag(value);
                    isE = value == "e";
                }

                preimage?.TagValue(ref reader, value, j);
                values.Add(value);
                j++;
            }

            if (j == 0)
            {
                throw new EventFormatException(TagField(i), "is empty; a tag needs at least one element");
            }

            preimage?.EndTag();
            ReadOnlySpan<string> tag = values.Items;

            // NIP-10: every reply in a thread repeats its root's e tag.
            tags.Add(pool is not null && (sharedWhole || (isE && tag.Length >= 4 && tag[3] == "root"))
                ? pool.Tag(tag)
                : Tag.FromOwnedArray(tag.ToArray()));
            i++;
        }

        preimage?.EndTags();

        return TagList.FromOwnedArray(tags.ToArray());
    }

    private static string TagField(int i) => $"tags[{i}]";

    /// <summary>
    /// One tag value. With <paramref name="pool"/>, it is decoded into a stack buffer and looked up there, so
    /// a value seen before costs no allocation; values too long for the buffer are read as without a pool.
    /// </summary>
    private static string GetTagValue(ref Utf8JsonReader reader, int i, int j, EventValuePool? pool = null)
    {
        // Tag names and markers repeat on every event: the well-known ones are one shared instance each
        // instead of a fresh string per event (a large archive holds them hundreds of thousands of times).
        if (j != 1 && !reader.ValueIsEscaped && !reader.HasValueSequence && KnownTagText(reader.ValueSpan) is { } known)
        {
            return known;
        }

        // UTF-8 never decodes to more UTF-16 units than it has bytes, and escapes only shrink.
        long encoded = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        bool pooled = pool is not null && encoded <= EventValuePool.MaxTextLength;
        Span<char> chars = pooled ? stackalloc char[EventValuePool.MaxTextLength] : default;
        try
        {
            return pooled ? pool!.Text(chars[..reader.CopyString(chars)]) : reader.GetString()!;
        }
        catch (InvalidOperationException ex)
        {
            throw NotUnicode($"{TagField(i)}[{j}]", ex);
        }
    }

    /// <summary>System.Text.Json refuses escaped lone surrogates (\ud800) and invalid UTF-8 when it decodes a string.</summary>
    private static EventFormatException NotUnicode(string field, InvalidOperationException ex) =>
        new(field, NotUnicodeReason, ex);

    private static string? KnownTagText(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > 16)
        {
            return null;
        }

        foreach (string known in KnownTagTexts)
        {
            if (known.Length == utf8.Length && System.Text.Ascii.Equals(utf8, known))
            {
                return known;
            }
        }

        return null;
    }

    private static void Read(ref Utf8JsonReader reader, string field)
    {
        if (!reader.Read())
        {
            throw new EventFormatException(field, "ends before its value is complete (truncated JSON)");
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.EndObject => "the end of an object",
        JsonTokenType.EndArray => "the end of an array",
        _ => token.ToString(),
    };
}
