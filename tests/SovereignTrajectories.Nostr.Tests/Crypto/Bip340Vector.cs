using SovereignTrajectories.Testing;

namespace SovereignTrajectories.Nostr.Tests.Crypto;

/// <summary>One row of bitcoin/bips bip-0340/test-vectors.csv (see Vectors/README.md).</summary>
public sealed record Bip340Vector(int Index, string SecretKey, string PublicKey, string AuxRand, string Message, string Signature, bool Expected, string Comment)
{
    public static IReadOnlyList<Bip340Vector> Load()
    {
        string path = RepoPaths.Combine("tests", "SovereignTrajectories.Nostr.Tests", "Vectors", "bip340-test-vectors.csv");
        var rows = new List<Bip340Vector>();
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            // The comment column may itself contain commas; the first seven columns never do.
            string[] cells = line.Split(',', 8);
            rows.Add(new Bip340Vector(
                int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture),
                cells[1],
                cells[2],
                cells[3],
                cells[4],
                cells[5],
                cells[6] switch
                {
                    "TRUE" => true,
                    "FALSE" => false,
                    _ => throw new FormatException($"{path}: row {cells[0]}: verification result '{cells[6]}' is neither TRUE nor FALSE"),
                },
                cells.Length > 7 ? cells[7] : string.Empty));
        }

        return rows;
    }

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        foreach (Bip340Vector v in Load())
        {
            data.Add(v.Index);
        }

        return data;
    }

    public static TheoryData<int> SigningIndexes()
    {
        var data = new TheoryData<int>();
        foreach (Bip340Vector v in Load().Where(v => v.SecretKey.Length > 0))
        {
            data.Add(v.Index);
        }

        return data;
    }

    public static Bip340Vector Get(int index) => Load().Single(v => v.Index == index);
}
