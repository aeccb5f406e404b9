using System.Runtime.CompilerServices;

namespace SovereignTrajectories.Audit.Fetching;

/// <summary>A 32-byte event id held inline (no array per event): the id the archive reader computed while parsing.</summary>
[InlineArray(32)]
internal struct EventId32
{
    private byte _first;
}
