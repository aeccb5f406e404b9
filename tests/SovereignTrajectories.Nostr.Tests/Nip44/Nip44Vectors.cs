using System.Text.Json;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.Nip44;

/// <summary>The official NIP-44 v2 vectors (Vectors/nip44.vectors.json, see Vectors/README.md) as theory rows.</summary>
internal static class Nip44Vectors
{
    private static readonly Lazy<JsonElement> V2 = new(() =>
    {
        string path = RepoPaths.Combine("tests", "SovereignTrajectories.Nostr.Tests", "Vectors", "nip44.vectors.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("v2").Clone();
    });

    public static IEnumerable<JsonElement> Rows(string group, string name) => V2.Value.GetProperty(group).GetProperty(name).EnumerateArray();

    public static JsonElement Object(string group, string name) => V2.Value.GetProperty(group).GetProperty(name);

    public static string Text(this JsonElement row, string name) => row.GetProperty(name).GetString()!;
}
