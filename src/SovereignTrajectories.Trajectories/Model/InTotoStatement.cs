using System.Security.Cryptography;

namespace SovereignTrajectories.Trajectories.Model;

/// <summary>
/// The exact bytes of an in-toto test-result Statement (profile §5.3), as serialised once.
/// Its hash is over these bytes, never over a re-serialised copy. Compared by content.
/// </summary>
public sealed class InTotoStatement : IEquatable<InTotoStatement>
{
    private readonly byte[] _statement;

    public InTotoStatement(ReadOnlySpan<byte> statementBytes)
    {
        if (statementBytes.IsEmpty)
        {
            throw new ArgumentException("the in-toto statement is empty", nameof(statementBytes));
        }

        _statement = statementBytes.ToArray();
        StatementSha256 = Convert.ToHexStringLower(SHA256.HashData(_statement));
    }

    /// <summary>The statement bytes (a copy-free read-only view).</summary>
    public ReadOnlyMemory<byte> StatementBytes => _statement;

    /// <summary>Hex SHA-256 of <see cref="StatementBytes"/>: the step's <c>statement_sha256</c>.</summary>
    public string StatementSha256 { get; }

    public bool Equals(InTotoStatement? other) =>
        other is not null && _statement.AsSpan().SequenceEqual(other._statement);

    public override bool Equals(object? obj) => Equals(obj as InTotoStatement);

    public override int GetHashCode() => StatementSha256.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => $"statement sha256:{StatementSha256} ({_statement.Length} bytes)";
}
