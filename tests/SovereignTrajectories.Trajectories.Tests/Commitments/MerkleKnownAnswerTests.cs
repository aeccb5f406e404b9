using System.Text.Json;
using SovereignTrajectories.Trajectories.Commitments;

namespace SovereignTrajectories.Trajectories.Tests.Commitments;

/// <summary>Known answers from transparency-dev/merkle (see Data/transparency-dev/README.md).</summary>
public sealed class MerkleKnownAnswerTests
{
    private static readonly JsonElement Tree = JsonDocument.Parse(
        File.ReadAllText(CommitmentsTestData.Directory("transparency-dev/rfc6962-tree.json"))).RootElement;

    private static byte[][] LeafInputs => Tree.GetProperty("leafInputs").EnumerateArray()
        .Select(e => Convert.FromHexString(e.GetString()!)).ToArray();

    [Fact]
    public void Empty_tree_root_is_sha256_of_the_empty_string()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleTree.EmptyRoot));
        Assert.Equal(Tree.GetProperty("emptyRoot").GetString(), new MerkleTree([]).RootHex);
        Assert.Equal(0, new MerkleTree([]).Size);
    }

    [Fact]
    public void Empty_leaf_hash_is_sha256_of_a_zero_byte()
    {
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", Convert.ToHexStringLower(MerkleTree.HashLeaf([])));
        Assert.Equal(Tree.GetProperty("emptyLeafHash").GetString(), Convert.ToHexStringLower(MerkleTree.HashLeaf([])));
        Assert.NotEqual(Convert.ToHexStringLower(MerkleTree.EmptyRoot), Convert.ToHexStringLower(MerkleTree.HashLeaf([])));
    }

    [Fact]
    public void Roots_of_every_prefix_of_the_rfc6962_test_tree_match()
    {
        byte[][] leaves = LeafInputs;
        string[] roots = Tree.GetProperty("rootHashes").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(9, roots.Length);
        for (int size = 0; size <= leaves.Length; size++)
        {
            Assert.Equal(roots[size], new MerkleTree(leaves[..size]).RootHex);
            Assert.Equal(roots[size], Convert.ToHexStringLower(new MerkleTree(leaves).RootAt(size)));
        }
    }

    [Fact]
    public void Node_hashes_of_the_rfc6962_test_tree_match()
    {
        byte[][] leaves = LeafInputs;
        string[][] levels = Tree.GetProperty("nodeHashes").EnumerateArray()
            .Select(l => l.EnumerateArray().Select(e => e.GetString()!).ToArray()).ToArray();
        for (int i = 0; i < leaves.Length; i++)
        {
            Assert.Equal(levels[0][i], Convert.ToHexStringLower(MerkleTree.HashLeaf(leaves[i])));
            Assert.Equal(levels[0][i], Convert.ToHexStringLower(new MerkleTree(leaves).LeafHash(i)));
        }

        for (int level = 1; level < levels.Length; level++)
        {
            for (int i = 0; i < levels[level].Length; i++)
            {
                byte[] left = Convert.FromHexString(levels[level - 1][2 * i]);
                byte[] right = Convert.FromHexString(levels[level - 1][(2 * i) + 1]);
                Assert.Equal(levels[level][i], Convert.ToHexStringLower(MerkleTree.HashChildren(left, right)));
            }
        }
    }

    [Fact]
    public void Generated_proofs_equal_the_happy_path_probes()
    {
        byte[][] leaves = LeafInputs;
        int checkedProofs = 0;
        foreach (MerkleProbe probe in MerkleProbe.LoadAll().Where(p => p.Name.EndsWith("happy-path.json", StringComparison.Ordinal)))
        {
            if (probe.IsInclusion)
            {
                MerkleTree tree = new(leaves[..(int)probe.TreeSize]);
                Assert.Equal(probe.Root, tree.Root);
                Assert.Equal(probe.LeafHash, tree.LeafHash((int)probe.LeafIndex));
                Assert.Equal(probe.Proof, tree.InclusionProof((int)probe.LeafIndex));
            }
            else
            {
                MerkleTree tree = new(leaves[..(int)probe.Size2]);
                Assert.Equal(probe.Root2, tree.Root);
                Assert.Equal(probe.Root1, tree.RootAt((int)probe.Size1));
                Assert.Equal(probe.Proof, tree.ConsistencyProof((int)probe.Size1));
            }

            checkedProofs++;
        }

        Assert.Equal(10, checkedProofs);
    }
}
