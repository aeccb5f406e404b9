using System.Globalization;
using System.Text;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Tests.CrossCheck;

/// <summary>
/// Seeded generator of event templates built from the characters serialisers get wrong: every
/// control character, quotes, backslashes, U+2028/U+2029, U+007F, surrogate pairs, CJK, empty
/// strings, long strings and many tags. The same seed gives the same events.
/// </summary>
internal sealed class RandomEvents(int seed)
{
    /// <summary>Overrides the random seed, to replay a failure.</summary>
    public const string SeedVariable = "SOVTRAJ_CROSSCHECK_SEED";

    private static readonly string[] Pieces =
    [
        "\"", "\\", "\\\"", "\"\\", "/", "\n", "\r", "\t", "\b", "\f", "\u2028", "\u2029", "\u007f", "\u0080", "\u00a0",
        "\U0001F600", "\U0001F469\u200D\U0001F4BB", "\U00010348", "\uFEFF", "\uFFFD", "\uFFFF",
        "漢字", "日本語のテキスト", "한국어", "é", "e\u0301", "ß", "Ω", "<>&'", "</script>", "\\u0000", "{}[],:",
        "hello", " ", "  ", "nostr", "0", "-1", "1e5", "true", "null",
    ];

    private readonly Random _random = new(seed);

    public int Seed { get; } = seed;

    /// <summary>A seed from <see cref="SeedVariable"/> when set, otherwise a fresh one.</summary>
    public static int ChooseSeed()
    {
        string? fixedSeed = Environment.GetEnvironmentVariable(SeedVariable);
        return fixedSeed is not null ? int.Parse(fixedSeed, CultureInfo.InvariantCulture) : Random.Shared.Next();
    }

    /// <summary>How to reproduce a failure, for assertion messages.</summary>
    public string Replay => $"seed {Seed} (replay with {SeedVariable}={Seed})";

    public UnsignedEvent NextTemplate()
    {
        long createdAt = _random.Next(5) switch
        {
            0 => 0,
            1 => 1_700_000_000,
            2 => _random.NextInt64(0, 1L << 32),
            3 => _random.NextInt64(0, 9_007_199_254_740_991), // up to JavaScript's largest exact integer
            _ => _random.NextInt64(1_600_000_000, 2_000_000_000),
        };
        int kind = _random.Next(6) switch
        {
            0 => 1,
            1 => 39230,
            2 => 39231,
            3 => 0,
            4 => 65535,
            _ => _random.Next(0, 65536),
        };
        return new UnsignedEvent(createdAt, kind, NextTags(), NextString(ContentLength()));
    }

    public string NextString(int length)
    {
        var sb = new StringBuilder(length + 8);
        while (sb.Length < length)
        {
            switch (_random.Next(8))
            {
                case 0:
                    sb.Append((char)_random.Next(0, 0x20));
                    break;
                case 1:
                case 2:
                    sb.Append(Pieces[_random.Next(Pieces.Length)]);
                    break;
                case 3:
                    sb.Append(RandomScalar());
                    break;
                default:
                    sb.Append((char)_random.Next(0x20, 0x7f));
                    break;
            }
        }

        return sb.ToString();
    }

    private string RandomScalar()
    {
        // Any Unicode scalar value: never a lone surrogate, which implementations treat differently.
        int cp;
        do
        {
            cp = _random.Next(2) == 0 ? _random.Next(0x80, 0x10000) : _random.Next(0x10000, 0x110000);
        }
        while (cp is >= 0xD800 and <= 0xDFFF);
        return char.ConvertFromUtf32(cp);
    }

    private int ContentLength() => _random.Next(100) switch
    {
        0 => 100 * 1024,
        1 => _random.Next(10_000, 100 * 1024),
        < 10 => 0,
        < 40 => _random.Next(1, 8),
        _ => _random.Next(8, 400),
    };

    private TagList NextTags()
    {
        int count = _random.Next(20) switch
        {
            0 => 0,
            1 => _random.Next(200, 600),
            _ => _random.Next(1, 12),
        };
        var tags = new List<Tag>(count);
        for (int i = 0; i < count; i++)
        {
            int elements = _random.Next(1, 6);
            var values = new string[elements];
            values[0] = _random.Next(4) switch
            {
                0 => "d",
                1 => "e",
                2 => "t",
                _ => NextString(_random.Next(1, 6)),
            };
            for (int j = 1; j < elements; j++)
            {
                values[j] = _random.Next(6) == 0 ? string.Empty : NextString(_random.Next(1, 80));
            }

            tags.Add(new Tag(values));
        }

        return new TagList(tags);
    }

    /// <summary>Returns the event with one field changed so that its id or signature no longer holds.</summary>
    public NostrEvent Tamper(NostrEvent e, Tampering how) => how switch
    {
        // Appending keeps surrogate pairs whole; cutting a character could leave a lone surrogate.
        Tampering.Content => e with { Content = e.Content + "a" },
        Tampering.Tag => e with { Tags = ChangeOneTag(e.Tags) },
        Tampering.CreatedAt => e with { CreatedAt = e.CreatedAt == 0 ? 1 : e.CreatedAt - 1 },
        Tampering.SignatureBit => e with { Sig = FlipBit(e.Sig) },
        _ => throw new ArgumentOutOfRangeException(nameof(how), how, "unknown tampering"),
    };

    private TagList ChangeOneTag(TagList tags)
    {
        if (tags.Count == 0)
        {
            return new TagList([new Tag("t", "added")]);
        }

        int index = _random.Next(tags.Count);
        var changed = tags.ToList();
        string[] values = [.. changed[index].Values];
        int element = _random.Next(values.Length);
        values[element] += "!";
        changed[index] = new Tag(values);
        return new TagList(changed);
    }

    private string FlipBit(string sigHex)
    {
        byte[] sig = Convert.FromHexString(sigHex);
        int bit = _random.Next(sig.Length * 8);
        sig[bit / 8] ^= (byte)(1 << (bit % 8));
        return Convert.ToHexStringLower(sig);
    }
}
