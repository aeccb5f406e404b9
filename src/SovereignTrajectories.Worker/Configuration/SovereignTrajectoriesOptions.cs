namespace SovereignTrajectories.Worker.Configuration;

/// <summary>
/// The worker's configuration, bound from the <c>SovereignTrajectories</c> section (appsettings.json,
/// environment variables <c>SovereignTrajectories__Outbox__Path</c>, ...). Relays come from the
/// top-level relays.json unless <see cref="Relays"/> lists URLs.
/// </summary>
public sealed class SovereignTrajectoriesOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "SovereignTrajectories";

    /// <summary>Where the outbox, the session archive and (by default) the spool live.</summary>
    public string DataDirectory { get; set; } = "sovtraj-data";

    /// <summary>The relay pool file (relays.json format); relative paths resolve against the working directory.</summary>
    public string RelaysFile { get; set; } = "relays.json";

    /// <summary>Relay URLs that replace <see cref="RelaysFile"/> when given (quorum from <see cref="Quorum"/> or 1).</summary>
    public IList<string> Relays { get; set; } = new List<string>();

    /// <summary>Overrides the quorum of the relay configuration when set.</summary>
    public int? Quorum { get; set; }

    /// <summary>Where the signing key comes from.</summary>
    public KeyOptions Key { get; set; } = new();

    /// <summary>The durable outbox.</summary>
    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>Retry policy of delivery to relays.</summary>
    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary>The local evidence archive per session.</summary>
    public ArchiveOptions Archive { get; set; } = new();

    /// <summary>The 39211 receipt published at the end of a run.</summary>
    public ReceiptOptions Receipt { get; set; } = new();

    /// <summary>How runs become events (redaction and mapping).</summary>
    public MappingOptions Mapping { get; set; } = new();

    /// <summary>The outbox database file: <see cref="OutboxOptions.Path"/>, or <c>outbox.db</c> in <see cref="DataDirectory"/>.</summary>
    public string ResolveOutboxPath() => Path.GetFullPath(string.IsNullOrEmpty(Outbox.Path) ? Path.Combine(DataDirectory, "outbox.db") : Outbox.Path);

    /// <summary>The session archive root: <see cref="ArchiveOptions.Directory"/>, or <c>sessions/</c> in <see cref="DataDirectory"/>.</summary>
    public string ResolveArchiveDirectory() => Path.GetFullPath(string.IsNullOrEmpty(Archive.Directory) ? Path.Combine(DataDirectory, "sessions") : Archive.Directory);
}
