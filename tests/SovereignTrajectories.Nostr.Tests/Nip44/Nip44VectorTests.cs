using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Nostr.Nip44;

namespace SovereignTrajectories.Nostr.Tests.Nip44;

/// <summary>Every row of the official NIP-44 v2 vectors, valid and invalid.</summary>
public sealed class Nip44VectorTests
{
    public static TheoryData<int> Indexes(string group, string name) => new(Enumerable.Range(0, Nip44Vectors.Rows(group, name).Count()));

    public static TheoryData<int> ConversationKeys() => Indexes("valid", "get_conversation_key");

    public static TheoryData<int> EncryptDecrypt() => Indexes("valid", "encrypt_decrypt");

    public static TheoryData<int> LongMessages() => Indexes("valid", "encrypt_decrypt_long_msg");

    public static TheoryData<int> BadConversationKeys() => Indexes("invalid", "get_conversation_key");

    public static TheoryData<int> BadPayloads() => Indexes("invalid", "decrypt");

    [Theory]
    [MemberData(nameof(ConversationKeys))]
    public void Conversation_key_matches(int index)
    {
        JsonElement row = Nip44Vectors.Rows("valid", "get_conversation_key").ElementAt(index);
        using SecretKey secret = SecretKey.FromHex(row.Text("sec1"));

        byte[] key = Nip44Encryption.ConversationKey(secret, Convert.FromHexString(row.Text("pub2")));

        Assert.Equal(row.Text("conversation_key"), Convert.ToHexStringLower(key));
    }

    [Fact]
    public void Message_keys_match()
    {
        JsonElement set = Nip44Vectors.Object("valid", "get_message_keys");
        byte[] conversationKey = Convert.FromHexString(set.Text("conversation_key"));
        int rows = 0;
        foreach (JsonElement row in set.GetProperty("keys").EnumerateArray())
        {
            Nip44MessageKeys keys = Nip44Encryption.MessageKeys(conversationKey, Convert.FromHexString(row.Text("nonce")));
            Assert.Equal(row.Text("chacha_key"), Convert.ToHexStringLower(keys.ChaChaKey));
            Assert.Equal(row.Text("chacha_nonce"), Convert.ToHexStringLower(keys.ChaChaNonce));
            Assert.Equal(row.Text("hmac_key"), Convert.ToHexStringLower(keys.HmacKey));
            rows++;
        }

        Assert.True(rows > 0);
    }

    [Fact]
    public void Padded_lengths_match()
    {
        JsonElement rows = Nip44Vectors.Object("valid", "calc_padded_len");
        Assert.NotEqual(0, rows.GetArrayLength());
        foreach (JsonElement pair in rows.EnumerateArray())
        {
            Assert.Equal(pair[1].GetInt32(), Nip44Encryption.PaddedLength(pair[0].GetInt32()));
        }
    }

    [Theory]
    [MemberData(nameof(EncryptDecrypt))]
    public void Encrypts_to_the_payload_and_decrypts_back_from_both_sides(int index)
    {
        JsonElement row = Nip44Vectors.Rows("valid", "encrypt_decrypt").ElementAt(index);
        using SecretKey first = SecretKey.FromHex(row.Text("sec1"));
        using SecretKey second = SecretKey.FromHex(row.Text("sec2"));
        byte[] key = Nip44Encryption.ConversationKey(first, second.PublicKey);
        Assert.Equal(row.Text("conversation_key"), Convert.ToHexStringLower(key));
        Assert.Equal(key, Nip44Encryption.ConversationKey(second, first.PublicKey));

        string payload = Nip44Encryption.Encrypt(row.Text("plaintext"), key, Convert.FromHexString(row.Text("nonce")));

        Assert.Equal(row.Text("payload"), payload);
        Assert.Equal(row.Text("plaintext"), Nip44Encryption.Decrypt(payload, key));
    }

    [Theory]
    [MemberData(nameof(LongMessages))]
    public void Long_messages_match_their_hashes(int index)
    {
        JsonElement row = Nip44Vectors.Rows("valid", "encrypt_decrypt_long_msg").ElementAt(index);
        string plaintext = string.Concat(Enumerable.Repeat(row.Text("pattern"), row.GetProperty("repeat").GetInt32()));
        Assert.Equal(row.Text("plaintext_sha256"), Sha256(plaintext));
        byte[] key = Convert.FromHexString(row.Text("conversation_key"));

        string payload = Nip44Encryption.Encrypt(plaintext, key, Convert.FromHexString(row.Text("nonce")));

        Assert.Equal(row.Text("payload_sha256"), Sha256(payload));
        Assert.Equal(plaintext, Nip44Encryption.Decrypt(payload, key));
    }

    [Fact]
    public void Plaintexts_of_a_refused_length_are_refused()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        foreach (JsonElement length in Nip44Vectors.Object("invalid", "encrypt_msg_lengths").EnumerateArray())
        {
            var ex = Assert.Throws<Nip44Exception>(() => Nip44Encryption.Encrypt(new string('a', length.GetInt32()), key));
            Assert.Contains("NIP-44 encrypts 1 to 65535 bytes", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(BadConversationKeys))]
    public void Bad_keys_give_no_conversation_key(int index)
    {
        JsonElement row = Nip44Vectors.Rows("invalid", "get_conversation_key").ElementAt(index);

        // An out-of-range secret is refused when the key is made; a peer key off the curve by the key agreement.
        Exception ex = Record.Exception(() =>
        {
            using SecretKey secret = SecretKey.FromHex(row.Text("sec1"));
            Nip44Encryption.ConversationKey(secret, Convert.FromHexString(row.Text("pub2")));
        });

        Assert.True(ex is ArgumentException or FormatException or KeyLoadException, $"{row.Text("note")}: {ex?.GetType().Name ?? "no exception"}");
    }

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public void Bad_payloads_are_refused_for_the_reason_the_vector_names(int index)
    {
        JsonElement row = Nip44Vectors.Rows("invalid", "decrypt").ElementAt(index);
        byte[] key = Convert.FromHexString(row.Text("conversation_key"));

        var ex = Assert.Throws<Nip44Exception>(() => Nip44Encryption.Decrypt(row.Text("payload"), key));

        string note = row.Text("note");
        string expected = note.StartsWith("invalid payload length", StringComparison.Ordinal) ? "invalid payload size"
            : note.StartsWith("unknown encryption version", StringComparison.Ordinal) ? "unknown encryption version"
            : note;
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
