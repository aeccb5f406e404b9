using SovereignTrajectories.Relays.Configuration;

namespace SovereignTrajectories.Worker.Configuration;

/// <summary>Turns the worker options into relay pool options: the listed URLs, or the relays.json file.</summary>
public static class RelayOptionsResolver
{
    /// <summary>Throws <see cref="RelayConfigurationException"/> naming the file or URL at fault.</summary>
    public static RelayPoolOptions Resolve(SovereignTrajectoriesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        RelayPoolOptions pool = Pool(options);

        // The delivery loop keeps its own window of events on the wire; the connection must not hold it to less.
        pool.Connection.MaxPublishesInFlight = Math.Max(pool.Connection.MaxPublishesInFlight, options.Delivery.MaxInFlightPerRelay);
        return pool;
    }

    private static RelayPoolOptions Pool(SovereignTrajectoriesOptions options)
    {
        if (options.Relays.Count > 0)
        {
            return RelayPoolConfiguration.FromUrls(options.Relays, options.Quorum ?? 1);
        }

        string path = Path.GetFullPath(options.RelaysFile);
        if (!File.Exists(path))
        {
            throw new RelayConfigurationException($"{path} does not exist (set {SovereignTrajectoriesOptions.SectionName}:RelaysFile or {SovereignTrajectoriesOptions.SectionName}:Relays)");
        }

        RelayPoolOptions pool = RelayPoolConfiguration.Load(path);
        if (options.Quorum is int k)
        {
            int writers = pool.Relays.Count(r => r.Write);
            if (k < 1 || k > writers)
            {
                throw new RelayConfigurationException($"{SovereignTrajectoriesOptions.SectionName}:Quorum is {k}, but must be between 1 and the number of write relays in {path} ({writers})");
            }

            pool.Quorum = k;
        }

        return pool;
    }
}
