using System.Security.Cryptography;
using SovereignTrajectories.Trajectories.Commitments;

namespace SovereignTrajectories.Trajectories.Tests.Commitments;

/// <summary>
/// Exhaustive checks against a naive recomputation written straight from RFC 6962 §2.1 (MTH, PATH, SUBPROOF on
/// lists), for every tree size up to 64.
/// </summary>
public sealed class MerklePropertyTests
{
    private const int MaxSize = 64;

    private static readonly byte[][] Leaves = Enumerable.Range(0, MaxSize)
        .Select(i => SHA256.HashData(BitConverter.GetBytes(i)))
        .ToArray();

    [Fact]
    public void Tree_from_event_ids_equals_the_tree_of_their_bytes_whether_or_not_the_count_is_known()
    {
        for (int n = 0; n <= MaxSize; n++)
        {
            byte[][] leaves = Leaves[..n];
            string[] ids = leaves.Select(Convert.ToHexStringLower).ToArray();
            MerkleTree expected = new(leaves);
            MerkleTree counted = MerkleTree.FromEventIds(ids);
            MerkleTree streamed = MerkleTree.FromEventIds(Lazy(ids));
            Assert.Equal(expected.Root, counted.Root);
            Assert.Equal(expected.Root, streamed.Root);
            Assert.Equal(n, streamed.Size);
            for (int m = 1; m <= n; m++)
            {
                Assert.Equal(expected.RootAt(m), streamed.RootAt(m));
            }
        }

        static IEnumerable<string> Lazy(string[] ids)
        {
            foreach (string id in ids)
            {
                yield return id;
            }
        }
    }

    [Fact]
    public void Every_root_and_inclusion_proof_up_to_64_leaves_equals_the_naive_one_and_verifies()
    {
        for (int n = 1; n <= MaxSize; n++)
        {
            byte[][] leaves = Leaves[..n];
            MerkleTree tree = new(leaves);
            byte[] root = NaiveRoot(leaves);
            Assert.Equal(root, tree.Root);
            for (int m = 0; m < n; m++)
            {
                IReadOnlyList<byte[]> proof = tree.InclusionProof(m);
                Assert.Equal(NaivePath(m, leaves), proof);
                byte[] leafHash = MerkleTree.HashLeaf(leaves[m]);
                Assert.True(MerkleProof.VerifyInclusion(m, n, leafHash, proof, root), $"size {n} index {m}");
                Assert.False(MerkleProof.VerifyInclusion(m, n, MerkleTree.HashLeaf(Leaves[(m + 1) % MaxSize]), proof, root));
                if (n > 1)
                {
                    Assert.False(MerkleProof.VerifyInclusion((m + 1) % n, n, leafHash, proof, root), $"size {n} index {m} wrong index");
                }

                for (int j = 0; j < proof.Count; j++)
                {
                    List<byte[]> tampered = [.. proof];
                    tampered[j] = (byte[])proof[j].Clone();
                    tampered[j][j % 32] ^= 0x01;
                    Assert.False(MerkleProof.VerifyInclusion(m, n, leafHash, tampered, root));
                }
            }
        }
    }

    [Fact]
    public void Every_consistency_proof_up_to_64_leaves_equals_the_naive_one_and_verifies()
    {
        MerkleTree full = new(Leaves);
        for (int n = 1; n <= MaxSize; n++)
        {
            MerkleTree tree = new(Leaves[..n]);
            byte[] root2 = tree.Root;
            for (int m = 1; m <= n; m++)
            {
                byte[] root1 = NaiveRoot(Leaves[..m]);
                Assert.Equal(root1, full.RootAt(m));
                IReadOnlyList<byte[]> proof = tree.ConsistencyProof(m);
                Assert.Equal(NaiveConsistency(m, Leaves[..n]), proof);
                Assert.True(MerkleProof.VerifyConsistency(m, n, root1, root2, proof), $"{m} -> {n}");
                Assert.False(MerkleProof.VerifyConsistency(m, n, root2, root1, proof) && m != n, $"{m} -> {n} swapped roots");
                if (m < n)
                {
                    byte[] other = NaiveRoot([.. Leaves[..(m - 1)], Leaves[MaxSize - 1]]);
                    Assert.False(MerkleProof.VerifyConsistency(m, n, other, root2, proof), $"{m} -> {n} rewritten history");
                    Assert.False(MerkleProof.VerifyConsistency(m, n, root1, root2, proof.Take(proof.Count - 1).ToArray()));
                    Assert.False(MerkleProof.VerifyConsistency(m, n, root1, root2, [.. proof, root1]));
                }
            }
        }
    }

    [Fact]
    public void Inclusion_proofs_over_100000_leaves_verify_and_are_logarithmic()
    {
        byte[][] leaves = Enumerable.Range(0, 100_000).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        MerkleTree tree = new(leaves);
        byte[] root = tree.Root;
        foreach (int index in new[] { 0, 1, 65_535, 65_536, 99_998, 99_999, 31_337 })
        {
            IReadOnlyList<byte[]> proof = tree.InclusionProof(index);
            Assert.InRange(proof.Count, 1, 17);
            Assert.True(MerkleProof.VerifyInclusion(index, tree.Size, MerkleTree.HashLeaf(leaves[index]), proof, root));
        }

        Assert.True(MerkleProof.VerifyConsistency(70_001, 100_000, tree.RootAt(70_001), root, tree.ConsistencyProof(70_001)));
    }

    [Fact]
    public void Malformed_inputs_are_invalid_proofs_not_exceptions()
    {
        MerkleTree tree = new(Leaves[..5]);
        byte[] leafHash = tree.LeafHash(2);
        IReadOnlyList<byte[]> proof = tree.InclusionProof(2);
        byte[] root = tree.Root;
        Assert.True(MerkleProof.VerifyInclusion(2, 5, leafHash, proof, root));
        Assert.False(MerkleProof.VerifyInclusion(-1, 5, leafHash, proof, root));
        Assert.False(MerkleProof.VerifyInclusion(5, 5, leafHash, proof, root));
        Assert.False(MerkleProof.VerifyInclusion(0, 0, leafHash, [], MerkleTree.EmptyRoot));
        Assert.False(MerkleProof.VerifyInclusion(2, 5, leafHash[..31], proof, root));
        Assert.False(MerkleProof.VerifyInclusion(2, 5, leafHash, [.. proof, new byte[31]], root));
        Assert.False(MerkleProof.VerifyInclusion(2, 5, leafHash, [.. proof.Take(2), null!], root));
        Assert.False(MerkleProof.VerifyInclusion(2, 5, leafHash, null!, root));
        Assert.False(MerkleProof.VerifyInclusion(2, long.MaxValue, leafHash, proof, root));
        Assert.False(MerkleProof.VerifyConsistency(0, 0, MerkleTree.EmptyRoot, MerkleTree.EmptyRoot, []));
        Assert.False(MerkleProof.VerifyConsistency(3, 2, root, root, []));
        Assert.False(MerkleProof.VerifyConsistency(-1, 5, root, root, []));
        Assert.False(MerkleProof.VerifyConsistency(3, 5, root, root, null!));
        Assert.False(MerkleProof.VerifyConsistency(3, 5, tree.RootAt(3), root, [.. tree.ConsistencyProof(3), new byte[5]]));
    }

    [Fact]
    public void Hex_helpers_verify_a_proof_for_an_event_id()
    {
        string[] ids = Leaves[..7].Select(Convert.ToHexStringLower).ToArray();
        MerkleTree tree = MerkleTree.FromEventIds(ids);
        IReadOnlyList<string> path = MerkleProof.ToHex(tree.InclusionProof(4));
        Assert.True(MerkleProof.VerifyInclusionHex(4, 7, ids[4], path, tree.RootHex));
        Assert.False(MerkleProof.VerifyInclusionHex(4, 7, ids[3], path, tree.RootHex));
        Assert.False(MerkleProof.VerifyInclusionHex(4, 7, "zz", path, tree.RootHex));
        Assert.False(MerkleProof.VerifyInclusionHex(4, 7, ids[4], [.. path.Take(2), "not hex"], tree.RootHex));
    }

    [Fact]
    public void A_tree_large_enough_to_be_hashed_on_every_core_equals_the_naive_root_at_every_probed_size()
    {
        // Over 4,096 leaves (and 4,096 parents on the first level) the hashing runs in ranges on every core.
        byte[][] leaves = Enumerable.Range(0, 10_007).Select(i => SHA256.HashData(BitConverter.GetBytes(i))).ToArray();
        MerkleTree tree = MerkleTree.FromEventIds(leaves.Select(Convert.ToHexStringLower).ToArray());
        Assert.Equal(NaiveRoot(leaves), tree.Root);
        Assert.Equal(new MerkleTree(leaves).Root, tree.Root);
        foreach (int m in new[] { 1, 4095, 4096, 4097, 8192, 8193, 10_006 })
        {
            Assert.Equal(NaiveRoot(leaves[..m]), tree.RootAt(m));
        }
    }

    [Fact]
    public void A_large_list_with_several_bad_ids_is_rejected_naming_the_first()
    {
        string[] ids = Enumerable.Range(0, 20_000).Select(i => Convert.ToHexStringLower(SHA256.HashData(BitConverter.GetBytes(i)))).ToArray();
        ids[17_000] = "xyz";
        ids[9_000] = new string('g', 64);
        ids[12_345] = "";
        FormatException ex = Assert.Throws<FormatException>(() => MerkleTree.FromEventIds(ids));
        Assert.Contains("position 9000 ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_an_event_id_that_is_not_hex_naming_its_position()
    {
        FormatException ex = Assert.Throws<FormatException>(() => MerkleTree.FromEventIds([new string('a', 64), "xyz"]));
        Assert.Contains("position 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_out_of_range_proof_requests_naming_the_argument()
    {
        MerkleTree tree = new(Leaves[..4]);
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => tree.InclusionProof(4)).ParamName);
        Assert.Equal("oldSize", Assert.Throws<ArgumentOutOfRangeException>(() => tree.ConsistencyProof(0)).ParamName);
        Assert.Equal("oldSize", Assert.Throws<ArgumentOutOfRangeException>(() => tree.ConsistencyProof(5)).ParamName);
        Assert.Empty(tree.ConsistencyProof(4));
    }

    private static byte[] NaiveRoot(IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 0)
        {
            return SHA256.HashData([]);
        }

        if (leaves.Count == 1)
        {
            return SHA256.HashData([0x00, .. leaves[0]]);
        }

        int k = LargestPowerOfTwoBelow(leaves.Count);
        return SHA256.HashData([0x01, .. NaiveRoot(leaves.Take(k).ToList()), .. NaiveRoot(leaves.Skip(k).ToList())]);
    }

    private static List<byte[]> NaivePath(int m, IReadOnlyList<byte[]> leaves)
    {
        if (leaves.Count == 1)
        {
            return [];
        }

        int k = LargestPowerOfTwoBelow(leaves.Count);
        return m < k
            ? [.. NaivePath(m, leaves.Take(k).ToList()), NaiveRoot(leaves.Skip(k).ToList())]
            : [.. NaivePath(m - k, leaves.Skip(k).ToList()), NaiveRoot(leaves.Take(k).ToList())];
    }

    private static List<byte[]> NaiveConsistency(int m, IReadOnlyList<byte[]> leaves) => NaiveSubProof(m, leaves, true);

    private static List<byte[]> NaiveSubProof(int m, IReadOnlyList<byte[]> leaves, bool b)
    {
        int n = leaves.Count;
        if (m == n)
        {
            return b ? [] : [NaiveRoot(leaves)];
        }

        int k = LargestPowerOfTwoBelow(n);
        return m <= k
            ? [.. NaiveSubProof(m, leaves.Take(k).ToList(), b), NaiveRoot(leaves.Skip(k).ToList())]
            : [.. NaiveSubProof(m - k, leaves.Skip(k).ToList(), false), NaiveRoot(leaves.Take(k).ToList())];
    }

    private static int LargestPowerOfTwoBelow(int n)
    {
        int k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return k;
    }
}
