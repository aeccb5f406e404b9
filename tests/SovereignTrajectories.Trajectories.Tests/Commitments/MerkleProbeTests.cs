using SovereignTrajectories.Trajectories.Commitments;

namespace SovereignTrajectories.Trajectories.Tests.Commitments;

/// <summary>Every inclusion and consistency probe of transparency-dev/merkle testdata, valid and mutated.</summary>
public sealed class MerkleProbeTests
{
    public static TheoryData<string> ProbeNames()
    {
        TheoryData<string> data = [];
        foreach (MerkleProbe probe in MerkleProbe.LoadAll())
        {
            data.Add(probe.Name);
        }

        return data;
    }

    [Fact]
    public void All_vendored_probes_are_present_including_mutated_ones()
    {
        IReadOnlyList<MerkleProbe> probes = MerkleProbe.LoadAll();
        Assert.Equal(196, probes.Count);
        Assert.True(probes.Count(p => p.WantErr) >= 150);
        Assert.Contains(probes, p => p.IsInclusion);
        Assert.Contains(probes, p => !p.IsInclusion);
    }

    [Theory]
    [MemberData(nameof(ProbeNames))]
    public void Verifier_accepts_exactly_the_probes_that_want_no_error(string name)
    {
        MerkleProbe probe = MerkleProbe.LoadAll().Single(p => p.Name == name);
        bool valid = probe.IsInclusion
            ? MerkleProof.VerifyInclusion(probe.LeafIndex, probe.TreeSize, probe.LeafHash, probe.Proof, probe.Root)
            : MerkleProof.VerifyConsistency(probe.Size1, probe.Size2, probe.Root1, probe.Root2, probe.Proof);
        Assert.Equal(!probe.WantErr, valid);
    }
}
