namespace SovereignTrajectories.Relays.Configuration;

/// <summary>The pool's configuration: which relays, how many must accept a publish, and per-connection behaviour.</summary>
public sealed class RelayPoolOptions
{
    /// <summary>The relays, each with read/write flags.</summary>
    public IList<RelayEndpoint> Relays { get; } = new List<RelayEndpoint>();

    /// <summary>How many write relays must answer <c>OK true</c> for a publish to count as delivered.</summary>
    public int Quorum { get; set; } = 1;

    /// <summary>Settings shared by every connection.</summary>
    public RelayConnectionOptions Connection { get; set; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public void Validate()
    {
        if (Relays.Count == 0)
        {
            throw new ArgumentException("the pool has no relays");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Relays.Count; i++)
        {
            RelayEndpoint r = Relays[i];
            if (!seen.Add(r.Name))
            {
                throw new ArgumentException($"relay {r.Name} is listed twice");
            }

            if (!r.Read && !r.Write)
            {
                throw new ArgumentException($"relay {r.Name} is neither read nor write");
            }
        }

        int writers = Relays.Count(r => r.Write);
        if (Quorum < 1 || Quorum > Math.Max(writers, 1))
        {
            throw new ArgumentException($"quorum {Quorum} must be between 1 and the number of write relays ({writers})");
        }

        Connection.Validate();
    }
}
