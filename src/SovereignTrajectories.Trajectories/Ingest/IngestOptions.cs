namespace SovereignTrajectories.Trajectories.Ingest;

/// <summary>Limits and choices for reading agent runs. The defaults suit real logs of hundreds of MB.</summary>
public sealed record IngestOptions
{
    /// <summary>The defaults.</summary>
    public static IngestOptions Default { get; } = new();

    /// <summary>Longest accepted JSONL line in bytes; a longer line is a bad line.</summary>
    public int MaxLineBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Largest single-document input (ATIF) in bytes.</summary>
    public long MaxDocumentBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Largest single element of a streamed document (one OTLP span, with its events) in bytes.</summary>
    public int MaxElementBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>Deepest JSON nesting accepted.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// In JSONL formats that allow it (Claude Code, Codex), skip a bad line with a note instead of
    /// failing. False makes every bad line an <see cref="IngestException"/>.
    /// </summary>
    public bool SkipBadLines { get; init; } = true;

    /// <summary>Turn tool calls that run tests, builds or linters into verification steps.</summary>
    public bool ExtractVerification { get; init; } = true;

    /// <summary>Which commands count as tests, builds or linters; see <see cref="VerificationRules.Default"/>.</summary>
    public VerificationRules VerificationRules { get; init; } = VerificationRules.Default;

    /// <summary>Clock used only when an input carries no time at all (the session still needs a start).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
