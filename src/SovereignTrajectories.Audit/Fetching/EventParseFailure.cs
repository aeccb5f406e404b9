namespace SovereignTrajectories.Audit.Fetching;

/// <summary>An input line that is not a strictly well-formed event: where (file:line) and why.</summary>
public sealed record EventParseFailure(string Location, string Reason);
