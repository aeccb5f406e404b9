namespace SovereignTrajectories.Nostr.Events;

/// <summary>An event before it has an author, id and signature: what a signer turns into a <see cref="NostrEvent"/>.</summary>
public sealed record UnsignedEvent(long CreatedAt, int Kind, TagList Tags, string Content)
{
    public UnsignedEvent(long createdAt, int kind, IEnumerable<Tag> tags, string content)
        : this(createdAt, kind, new TagList(tags), content)
    {
    }
}
