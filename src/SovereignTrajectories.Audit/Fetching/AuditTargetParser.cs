using SovereignTrajectories.Nostr.Codecs;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Nostr.Nip19;
using SovereignTrajectories.Trajectories.Mapping;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>
/// Turns what a user typed into an <see cref="AuditTarget"/>: <c>naddr1...</c>, <c>nevent1...</c>,
/// <c>note1...</c>, a coordinate <c>39230:&lt;pubkey&gt;:&lt;sid&gt;</c>, a 64-hex event id, a path to a
/// RECEIPT.json, or a bare sid together with <c>--author</c>. Bad input throws <see cref="FormatException"/>
/// naming the input and what is wrong.
/// </summary>
public static class AuditTargetParser
{
    public static AuditTarget Parse(string text, string? author = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim();
        if (t.Length == 0)
        {
            throw new FormatException("target: empty; give an naddr, nevent, note, coordinate, event id or RECEIPT.json path");
        }

        string? pubKey = author is null ? null : ParseAuthor(author);
        if (t.StartsWith(Nip19Codec.NaddrPrefix + "1", StringComparison.OrdinalIgnoreCase))
        {
            NAddr addr = Decode<NAddr>(t);
            if (!TrajectoryKinds.IsSession(addr.Kind))
            {
                throw new FormatException($"target {Short(t)}: naddr names kind {addr.Kind}, not a trajectory session (39230)");
            }

            return new AuditTarget(AuditTargetKind.Session, t, addr.PubKey, addr.Identifier, null, null, addr.Relays);
        }

        if (t.StartsWith(Nip19Codec.NeventPrefix + "1", StringComparison.OrdinalIgnoreCase))
        {
            NEvent ev = Decode<NEvent>(t);
            return new AuditTarget(AuditTargetKind.ClaimEvent, t, ev.Author ?? pubKey, null, ev.Id, null, ev.Relays);
        }

        if (t.StartsWith(Nip19Codec.NotePrefix + "1", StringComparison.OrdinalIgnoreCase))
        {
            Note note = Decode<Note>(t);
            return new AuditTarget(AuditTargetKind.ClaimEvent, t, pubKey, null, note.Id, null, []);
        }

        string[] parts = t.Split(':', 3);
        if (parts.Length == 3 && int.TryParse(parts[0], out int kind) && Hex.IsLowerHex(parts[1], 64))
        {
            if (!TrajectoryKinds.IsSession(kind))
            {
                throw new FormatException($"target {Short(t)}: coordinate names kind {kind}, not a trajectory session (39230)");
            }

            if (!SessionIds.IsValid(parts[2]))
            {
                throw new FormatException($"target {Short(t)}: '{parts[2]}' is not a valid session id (1-128 of [A-Za-z0-9._:-])");
            }

            return new AuditTarget(AuditTargetKind.Session, t, parts[1], parts[2], null, null, []);
        }

        if (Hex.IsLowerHex(t, 64))
        {
            return new AuditTarget(AuditTargetKind.ClaimEvent, t, pubKey, null, t, null, []);
        }

        if (File.Exists(t))
        {
            return new AuditTarget(AuditTargetKind.ReceiptFile, t, pubKey, null, null, Path.GetFullPath(t), []);
        }

        if (SessionIds.IsValid(t) && (pubKey is not null || !t.EndsWith(".json", StringComparison.OrdinalIgnoreCase)))
        {
            return new AuditTarget(AuditTargetKind.Session, t, pubKey, t, null, null, []);
        }

        throw new FormatException($"target {Short(t)}: not an naddr, nevent, note, coordinate, 64-hex event id, existing RECEIPT.json path or session id");
    }

    private static string ParseAuthor(string author)
    {
        try
        {
            return PublicKey.Parse(author.Trim()).Hex;
        }
        catch (FormatException ex)
        {
            throw new FormatException($"--author: {ex.Message}", ex);
        }
    }

    private static T Decode<T>(string text)
        where T : Nip19Entity
    {
        Nip19Entity entity;
        try
        {
            entity = Nip19Codec.Decode(text);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"target {Short(text)}: {ex.Message}", ex);
        }

        return entity as T ?? throw new FormatException($"target {Short(text)}: decodes to {entity.Prefix}, expected {typeof(T).Name.ToLowerInvariant()}");
    }

    private static string Short(string text) => text.Length <= 40 ? text : text[..37] + "...";
}
