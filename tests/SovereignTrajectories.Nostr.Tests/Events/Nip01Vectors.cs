using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Nostr.Tests.Events;

/// <summary>
/// NIP-01 vectors from /work/shared/reference/environment.md ("NIP-01 serialisation"), whose ids were
/// checked there against nostr-tools, rust-nostr and nostr-wasm. The key is BIP-340 vector 0's secret.
/// </summary>
internal static class Nip01Vectors
{
    public const string SecretHex = "0000000000000000000000000000000000000000000000000000000000000003";
    public const string PubKey = "f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9";
    public const string Npub = "npub1lycg5qvjtrp3qjf5f7zl382j9x6nrjz9sdhenvyxq8c3808qxmus6gq266";

    public const string SimpleId = "b95ecb90839ed990c80137e9c2476fcd6004679389b19098f99d84f99e2fce4f";
    public const string EscapesId = "d98aa04989f5a35c6dedf57809bda65e7d37898be31570f69e2ba6922f7d07c5";

    public const string EscapesContent = "héllo \"quoted\" \\ back\nnew\ttab\r\u0001\u001f ctrl \u2028 \u007f emoji \U0001F600 <>&'";

    public static TagList SimpleTags => new([new Tag("d", "my-id")]);

    public static TagList EscapesTags => new([new Tag("d", "my-id"), new Tag("e", new string('a', 64), "", "root"), new Tag("t", "x")]);
}
