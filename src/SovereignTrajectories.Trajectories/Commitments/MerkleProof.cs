using SovereignTrajectories.Nostr.Codecs;

namespace SovereignTrajectories.Trajectories.Commitments;

/// <summary>
/// Offline verifiers for RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs. They never throw on
/// malformed input: any bad size, index, hash length or proof length is simply an invalid proof.
/// </summary>
public static class MerkleProof
{
    /// <summary>
    /// True when <paramref name="proof"/> shows that the leaf with hash <paramref name="leafHash"/>
    /// (= <see cref="MerkleTree.HashLeaf(ReadOnlySpan{byte})"/> of the leaf data) sits at <paramref name="index"/> in the
    /// tree of <paramref name="size"/> leaves whose root is <paramref name="root"/>.
    /// </summary>
    public static bool VerifyInclusion(
        long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> proof, ReadOnlySpan<byte> root)
    {
        if (proof is null || index < 0 || size <= 0 || index >= size || leafHash.Length != MerkleTree.HashSize
            || root.Length != MerkleTree.HashSize || !AllHashSized(proof) || proof.Count > 64)
        {
            return false;
        }

        ulong fn = (ulong)index;
        ulong sn = (ulong)size - 1;
        Span<byte> r = stackalloc byte[MerkleTree.HashSize];
        leafHash.CopyTo(r);
        foreach (byte[] p in proof)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleTree.HashChildren(p, r, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleTree.HashChildren(r, p, r);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.SequenceEqual(root);
    }

    /// <summary>
    /// True when <paramref name="proof"/> shows that the tree of <paramref name="size1"/> leaves with root
    /// <paramref name="root1"/> is a prefix of the tree of <paramref name="size2"/> leaves with root
    /// <paramref name="root2"/>. Equal sizes need an empty proof and equal roots; a proof from size 0 is rejected as
    /// meaningless (as transparency-dev/merkle does), as is size1 &gt; size2.
    /// </summary>
    public static bool VerifyConsistency(
        long size1, long size2, ReadOnlySpan<byte> root1, ReadOnlySpan<byte> root2, IReadOnlyList<byte[]> proof)
    {
        if (proof is null || size1 <= 0 || size2 < size1)
        {
            return false;
        }

        if (size1 == size2)
        {
            return proof.Count == 0 && root1.SequenceEqual(root2);
        }

        if (proof.Count == 0 || proof.Count > 128 || !AllHashSized(proof)
            || root1.Length != MerkleTree.HashSize || root2.Length != MerkleTree.HashSize)
        {
            return false;
        }

        ulong fn = (ulong)size1 - 1;
        ulong sn = (ulong)size2 - 1;
        bool firstIsPowerOfTwo = (size1 & (size1 - 1)) == 0;
        int next = 0;

        // When size1 is a power of two the old root is itself a node of the new tree and is not sent in the proof.
        Span<byte> fr = stackalloc byte[MerkleTree.HashSize];
        Span<byte> sr = stackalloc byte[MerkleTree.HashSize];
        if (firstIsPowerOfTwo)
        {
            root1.CopyTo(fr);
        }
        else
        {
            proof[0].CopyTo(fr);
            next = 1;
        }

        fr.CopyTo(sr);
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }

        for (; next < proof.Count; next++)
        {
            byte[] c = proof[next];
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                MerkleTree.HashChildren(c, fr, fr);
                MerkleTree.HashChildren(c, sr, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                MerkleTree.HashChildren(sr, c, sr);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && fr.SequenceEqual(root1) && sr.SequenceEqual(root2);
    }

    /// <summary>
    /// Convenience form over hex strings (root, leaf event id, path), as carried in a JSON proof: hashes the leaf
    /// data first. False on any malformed hex.
    /// </summary>
    public static bool VerifyInclusionHex(long index, long size, string leafDataHex, IReadOnlyList<string> pathHex, string rootHex)
    {
        if (leafDataHex is null || pathHex is null || rootHex is null || leafDataHex.Length % 2 != 0)
        {
            return false;
        }

        byte[] leaf = new byte[leafDataHex.Length / 2];
        byte[] root = new byte[MerkleTree.HashSize];
        if (!Hex.TryDecode(leafDataHex, leaf) || !Hex.TryDecode(rootHex, root)
            || !TryDecodePath(pathHex, out List<byte[]> path))
        {
            return false;
        }

        return VerifyInclusion(index, size, MerkleTree.HashLeaf(leaf), path, root);
    }

    /// <summary>Lower-case hex of each proof node, the form used in JSON proofs.</summary>
    public static IReadOnlyList<string> ToHex(IReadOnlyList<byte[]> proof)
    {
        ArgumentNullException.ThrowIfNull(proof);
        return proof.Select(p => Hex.Encode(p)).ToArray();
    }

    private static bool TryDecodePath(IReadOnlyList<string> pathHex, out List<byte[]> path)
    {
        path = new List<byte[]>(pathHex.Count);
        foreach (string node in pathHex)
        {
            byte[] bytes = new byte[MerkleTree.HashSize];
            if (node is null || !Hex.TryDecode(node, bytes))
            {
                return false;
            }

            path.Add(bytes);
        }

        return true;
    }

    private static bool AllHashSized(IReadOnlyList<byte[]> proof)
    {
        foreach (byte[] node in proof)
        {
            if (node is null || node.Length != MerkleTree.HashSize)
            {
                return false;
            }
        }

        return true;
    }
}
