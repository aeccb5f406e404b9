using System.Text.Json;
using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Audit.Tests.Payments.Bolt11;

/// <summary>
/// The examples of the BOLT 11 specification, vendored in <c>bolt11-spec-vectors.json</c> beside this
/// file (source: lightning/bolts 11-payment-encoding.md, named in the file's "source" field).
/// </summary>
internal static class Bolt11SpecVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(
        RepoPaths.Combine("tests", "SovereignTrajectories.Audit.Tests", "Payments", "Bolt11", "bolt11-spec-vectors.json"))));

    public static JsonElement Valid(int index) => Document.Value.RootElement.GetProperty("valid")[index];

    public static JsonElement Invalid(int index) => Document.Value.RootElement.GetProperty("invalid")[index];

    public static TheoryData<int> ValidIndexes() => Indexes("valid");

    public static TheoryData<int> InvalidIndexes() => Indexes("invalid");

    private static TheoryData<int> Indexes(string section)
    {
        var data = new TheoryData<int>();
        int count = Document.Value.RootElement.GetProperty(section).GetArrayLength();
        for (int i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }
}
