namespace SovereignTrajectories.Nostr.Nip19;

/// <summary>A bare event id (<c>note</c>), as 64 lower-case hex characters.</summary>
public sealed record Note(string Id) : Nip19Entity
{
    public override string Prefix => Nip19Codec.NotePrefix;
}
