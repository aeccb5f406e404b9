using System.Buffers;
using System.Security.Cryptography;
using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Crypto;

namespace SovereignTrajectories.Trajectories.Commitments;

/// <summary>
/// An RFC 6962 / RFC 9162 Merkle tree (profile §5.2) over leaf data (for trajectories: the 32-byte ids of the
/// 39231 events in seq order), with its root, inclusion proofs and consistency proofs.
/// </summary>
/// <remarks>
/// The hashes of every perfect (power-of-two, aligned) subtree are kept level by level, so a proof costs
/// O(log n) lookups plus O(log² n) hashes for the right edge, never a recomputation of the tree.
/// </remarks>
public sealed class MerkleTree
{
    /// <summary>Length of every node hash (SHA-256).</summary>
    public const int HashSize = 32;

    private static readonly byte[] EmptyRootBytes = SHA256.HashData(ReadOnlySpan<byte>.Empty);

    // levels[k] holds, contiguously, the hashes of the floor(size / 2^k) perfect subtrees of 2^k leaves.
    private readonly byte[][] _levels;
    private readonly byte[] _root;

    /// <summary>Builds the tree; each element of <paramref name="leaves"/> is one leaf's data (not yet hashed).</summary>
    public MerkleTree(IReadOnlyList<byte[]> leaves)
        : this(HashLeaves(leaves), leaves.Count)
    {
    }

    private MerkleTree(byte[] level0, int size)
    {
        Size = size;
        _levels = BuildLevels(level0, Size);
        _root = Size == 0 ? EmptyRootBytes : SubtreeHash(0, Size);
    }

    /// <summary>The root of the empty tree: SHA-256 of the empty string.</summary>
    public static byte[] EmptyRoot => (byte[])EmptyRootBytes.Clone();

    /// <summary>Number of leaves.</summary>
    public int Size { get; }

    /// <summary>The tree head (a copy).</summary>
    public byte[] Root => (byte[])_root.Clone();

    /// <summary>The tree head as lower-case hex, the form of the <c>merkle_root</c> tag.</summary>
    public string RootHex => Hex.Encode(_root);

    /// <summary>Builds the tree over event ids given as 64-character hex strings (seq order).</summary>
    /// <exception cref="FormatException">An id is not 64 hex characters; the message names its position.</exception>
    public static MerkleTree FromEventIds(IEnumerable<string> eventIdsHex)
    {
        ArgumentNullException.ThrowIfNull(eventIdsHex);

        // Each id is decoded on the stack and hashed straight into the leaf level: no array per leaf.
        IReadOnlyList<string> ids = eventIdsHex as IReadOnlyList<string> ?? [.. eventIdsHex];
        byte[] level0 = new byte[ids.Count * HashSize];
        int firstBad = int.MaxValue;
        InRanges(ids.Count, (from, to) =>
        {
            Span<byte> bytes = stackalloc byte[HashSize];
            for (int i = from; i < to; i++)
            {
                if (ids[i] is not { } id || !Hex.TryDecode(id, bytes))
                {
                    InterlockedMin(ref firstBad, i);
                    return;
                }

                HashLeaf(bytes, level0.AsSpan(i * HashSize, HashSize));
            }
        });
        if (firstBad != int.MaxValue)
        {
            throw new FormatException($"event id at position {firstBad} is not 64 hex characters: '{ids[firstBad]}'");
        }

        return new MerkleTree(level0, ids.Count);
    }

    /// <summary>
    /// Runs <paramref name="body"/> over [0, <paramref name="count"/>) in ranges: on every core when there are
    /// enough hashes to be worth it (a 100,000-step trajectory has 200,000), else on this thread.
    /// </summary>
    private static void InRanges(int count, Action<int, int> body)
    {
        const int Range = 4096;
        if (count <= Range)
        {
            body(0, count);
            return;
        }

        Parallel.For(0, (count + Range - 1) / Range, k => body(k * Range, Math.Min(count, (k + 1) * Range)));
    }

    private static void InterlockedMin(ref int target, int value)
    {
        for (int seen = Volatile.Read(ref target); value < seen; seen = Volatile.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, seen) == seen)
            {
                return;
            }
        }
    }

    private static byte[] HashLeaves(IReadOnlyList<byte[]> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        byte[] level0 = new byte[leaves.Count * HashSize];
        for (int i = 0; i < leaves.Count; i++)
        {
            byte[] leaf = leaves[i] ?? throw new ArgumentException($"leaf {i} is null", nameof(leaves));
            HashLeaf(leaf, level0.AsSpan(i * HashSize, HashSize));
        }

        return level0;
    }

    /// <summary>The leaf hash SHA-256(0x00 || data) of leaf <paramref name="index"/>.</summary>
    public byte[] LeafHash(int index)
    {
        CheckIndex(index);
        return _levels[0].AsSpan(index * HashSize, HashSize).ToArray();
    }

    /// <summary>SHA-256(0x00 || <paramref name="data"/>): the RFC 6962 leaf hash.</summary>
    public static byte[] HashLeaf(ReadOnlySpan<byte> data)
    {
        byte[] result = new byte[HashSize];
        HashLeaf(data, result);
        return result;
    }

    /// <summary>SHA-256(0x01 || <paramref name="left"/> || <paramref name="right"/>): the RFC 6962 interior node hash.</summary>
    public static byte[] HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        byte[] result = new byte[HashSize];
        HashChildren(left, right, result);
        return result;
    }

    /// <summary>
    /// The audit path (RFC 6962 §2.1.1 PATH) for leaf <paramref name="index"/>, ordered from the leaf's sibling up
    /// to the root's child, as <see cref="MerkleProof.VerifyInclusion"/> expects.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">index is not in [0, Size).</exception>
    public IReadOnlyList<byte[]> InclusionProof(int index)
    {
        CheckIndex(index);
        List<byte[]> path = [];
        AppendPath(index, 0, Size, path);
        return path;
    }

    /// <summary>
    /// The consistency proof (RFC 6962 §2.1.2 PROOF) that the first <paramref name="oldSize"/> leaves form a prefix
    /// of this tree. Empty when <paramref name="oldSize"/> == Size.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">oldSize is not in [1, Size]: a proof from the empty tree is meaningless.</exception>
    public IReadOnlyList<byte[]> ConsistencyProof(int oldSize)
    {
        if (oldSize < 1 || oldSize > Size)
        {
            throw new ArgumentOutOfRangeException(
                nameof(oldSize), oldSize, $"old tree size must be between 1 and the tree size {Size}");
        }

        List<byte[]> proof = [];
        if (oldSize < Size)
        {
            AppendSubProof(oldSize, 0, Size, true, proof);
        }

        return proof;
    }

    /// <summary>The root of the tree made of the first <paramref name="size"/> leaves (an older version's root).</summary>
    /// <exception cref="ArgumentOutOfRangeException">size is not in [0, Size].</exception>
    public byte[] RootAt(int size)
    {
        if (size < 0 || size > Size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"size must be between 0 and the tree size {Size}");
        }

        return size == 0 ? EmptyRoot : (byte[])SubtreeHash(0, size).Clone();
    }

    internal static void HashLeaf(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        byte[]? rented = null;
        Span<byte> buffer = data.Length < 256
            ? stackalloc byte[data.Length + 1]
            : (rented = ArrayPool<byte>.Shared.Rent(data.Length + 1)).AsSpan(0, data.Length + 1);
        buffer[0] = 0x00;
        data.CopyTo(buffer[1..]);
        Sha256.Hash(buffer, destination);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    internal static void HashChildren(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right, Span<byte> destination)
    {
        int length = 1 + left.Length + right.Length;
        byte[]? rented = null;
        Span<byte> buffer = length <= 256
            ? stackalloc byte[length]
            : (rented = ArrayPool<byte>.Shared.Rent(length)).AsSpan(0, length);
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + left.Length)..]);
        Sha256.Hash(buffer, destination);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Largest power of two strictly smaller than <paramref name="n"/> (n &gt;= 2): RFC 6962's split point k.</summary>
    internal static long SplitPoint(long n) => 1L << (63 - (int)long.LeadingZeroCount(n - 1));

    private static byte[][] BuildLevels(byte[] level0, int size)
    {
        List<byte[]> levels = [level0];
        int count = size;
        byte[] below = level0;
        while (count >= 2)
        {
            int parents = count / 2;
            byte[] level = new byte[parents * HashSize];
            byte[] children = below;
            InRanges(parents, (from, to) =>
            {
                for (int i = from; i < to; i++)
                {
                    HashChildren(
                        children.AsSpan(2 * i * HashSize, HashSize),
                        children.AsSpan((2 * i + 1) * HashSize, HashSize),
                        level.AsSpan(i * HashSize, HashSize));
                }
            });

            levels.Add(level);
            below = level;
            count = parents;
        }

        return [.. levels];
    }

    // MTH(D[start:end]) for a range that is a node of the RFC 6962 tree: either a perfect aligned subtree (a lookup)
    // or one on the right edge (split at the largest power of two, left part perfect).
    private byte[] SubtreeHash(int start, int end)
    {
        int width = end - start;
        if ((width & (width - 1)) == 0)
        {
            int level = System.Numerics.BitOperations.TrailingZeroCount(width);
            int index = start >> level;
            return _levels[level].AsSpan(index * HashSize, HashSize).ToArray();
        }

        int k = (int)SplitPoint(width);
        return HashChildren(SubtreeHash(start, start + k), SubtreeHash(start + k, end));
    }

    private void AppendPath(int index, int start, int end, List<byte[]> path)
    {
        int width = end - start;
        if (width == 1)
        {
            return;
        }

        int k = (int)SplitPoint(width);
        if (index - start < k)
        {
            AppendPath(index, start, start + k, path);
            path.Add(SubtreeHash(start + k, end));
        }
        else
        {
            AppendPath(index, start + k, end, path);
            path.Add(SubtreeHash(start, start + k));
        }
    }

    private void AppendSubProof(int m, int start, int end, bool isWholeOldTree, List<byte[]> proof)
    {
        int width = end - start;
        if (m == width)
        {
            if (!isWholeOldTree)
            {
                proof.Add(SubtreeHash(start, end));
            }

            return;
        }

        int k = (int)SplitPoint(width);
        if (m <= k)
        {
            AppendSubProof(m, start, start + k, isWholeOldTree, proof);
            proof.Add(SubtreeHash(start + k, end));
        }
        else
        {
            AppendSubProof(m - k, start + k, end, false, proof);
            proof.Add(SubtreeHash(start, start + k));
        }
    }

    private void CheckIndex(int index)
    {
        if (index < 0 || index >= Size)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"leaf index must be in [0, {Size})");
        }
    }
}
