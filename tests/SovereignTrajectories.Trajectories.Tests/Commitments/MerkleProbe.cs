using System.Text.Json;

namespace SovereignTrajectories.Trajectories.Tests.Commitments;

/// <summary>One JSON probe file of transparency-dev/merkle testdata/{inclusion,consistency}.</summary>
public sealed record MerkleProbe(
    string Name,
    bool IsInclusion,
    long LeafIndex,
    long TreeSize,
    byte[] Root,
    byte[] LeafHash,
    long Size1,
    long Size2,
    byte[] Root1,
    byte[] Root2,
    IReadOnlyList<byte[]> Proof,
    bool WantErr)
{
    private static readonly Lazy<IReadOnlyList<MerkleProbe>> Cache = new(Load);

    public override string ToString() => Name;

    public static IReadOnlyList<MerkleProbe> LoadAll() => Cache.Value;

    private static IReadOnlyList<MerkleProbe> Load()
    {
        string root = CommitmentsTestData.Directory("transparency-dev");
        return Directory.EnumerateFiles(root, "*.json", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith("rfc6962-tree.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => Parse(Path.GetRelativePath(root, f), File.ReadAllText(f)))
            .ToArray();
    }

    private static MerkleProbe Parse(string name, string json)
    {
        using JsonDocument doc = JsonDocument.Parse(json);
        JsonElement e = doc.RootElement;
        bool inclusion = name.StartsWith("inclusion", StringComparison.Ordinal);
        return new MerkleProbe(
            name,
            inclusion,
            Long(e, "leafIdx"),
            Long(e, "treeSize"),
            Bytes(e, "root"),
            Bytes(e, "leafHash"),
            Long(e, "size1"),
            Long(e, "size2"),
            Bytes(e, "root1"),
            Bytes(e, "root2"),
            e.TryGetProperty("proof", out JsonElement proof) && proof.ValueKind == JsonValueKind.Array
                ? proof.EnumerateArray().Select(p => Convert.FromBase64String(p.GetString()!)).ToArray()
                : [],
            e.GetProperty("wantErr").GetBoolean());
    }

    // The probes use Go uint64 values (e.g. 0 - 1 wraps to 2^64 - 1); past long.MaxValue they become negative, which the verifiers reject like any other bad size.
    private static long Long(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) ? unchecked((long)v.GetUInt64()) : 0;

    private static byte[] Bytes(JsonElement e, string name) =>
        e.TryGetProperty(name, out JsonElement v) && v.ValueKind == JsonValueKind.String ? Convert.FromBase64String(v.GetString()!) : [];
}
