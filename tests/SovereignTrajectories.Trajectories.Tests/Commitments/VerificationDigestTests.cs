using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Trajectories.Commitments;

namespace SovereignTrajectories.Trajectories.Tests.Commitments;

public sealed class VerificationDigestTests
{
    private const string A = "1111111111111111111111111111111111111111111111111111111111111111";
    private const string B = "abcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcdefabcd";

    [Fact]
    public void Digest_is_sha256_of_statement_hashes_joined_by_newline()
    {
        string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(A + "\n" + B)));
        Assert.Equal(expected, VerificationDigest.Compute([A, B]));
    }

    [Fact]
    public void Digest_of_one_statement_is_sha256_of_its_hex()
    {
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(A))), VerificationDigest.Compute([A]));
    }

    [Fact]
    public void Empty_digest_is_sha256_of_the_empty_string()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", VerificationDigest.Compute([]));
        Assert.Equal(VerificationDigest.Empty, VerificationDigest.Compute([]));
    }

    [Fact]
    public void Order_matters()
    {
        Assert.NotEqual(VerificationDigest.Compute([A, B]), VerificationDigest.Compute([B, A]));
    }

    [Theory]
    [InlineData("ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD")]
    [InlineData("1111")]
    [InlineData("sha256:1111111111111111111111111111111111111111111111111111111111111111")]
    public void Rejects_a_value_that_is_not_64_lower_hex_naming_its_position(string bad)
    {
        FormatException ex = Assert.Throws<FormatException>(() => VerificationDigest.Compute([A, bad]));
        Assert.Contains("position 1", ex.Message, StringComparison.Ordinal);
    }
}
