using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using SovereignTrajectories.Nostr.Crypto;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Json;

/// <summary>
/// Reads a 39231 <c>content</c> back into a <see cref="Step"/> (without its seq). Accepts the
/// legacy PascalCase types (<c>ToolUse</c>, <c>ToolResult</c>, <c>Message</c>, <c>Thinking</c>,
/// profile §8) and reports them as notes; an unknown type becomes an <see cref="UnknownStep"/>
/// holding the exact content. Wrong field types throw <see cref="TrajectoryFormatException"/>.
/// </summary>
/// <remarks>
/// The offline verifier reads every step of an archive through here, so the content is read in
/// one forward pass of a <see cref="Utf8JsonReader"/> over a stack or pooled UTF-8 copy: the pass
/// validates the whole text and notes where each known member's value lies (the last one wins
/// for a repeated name, as <see cref="JsonElement.TryGetProperty(string, out JsonElement)"/> did);
/// values are decoded only when the step type asks for them. The results, errors and notes are
/// those of the earlier JsonDocument-based reader, down to which field fails first.
/// </remarks>
public static partial class StepContentReader
{
    // Contents up to this many chars are transcoded on the stack (3 UTF-8 bytes per char at most);
    // most steps are a few hundred chars, and tool steps with long outputs go to the pool.
    private const int StackChars = 256;

    // The longest member name and step type read ("statement_sha256"); longer names are not ours.
    private const int MaxNameLength = 16;

    /// <param name="content">The content string as published.</param>
    /// <param name="typeFromTag">The value of a legacy <c>["step", type]</c> tag, used when the content has no <c>type</c>.</param>
    /// <param name="source">Names the input in errors and notes (e.g. <c>event &lt;id&gt;</c>).</param>
    /// <param name="notes">Receives a note for every legacy form met.</param>
    public static Step Read(string content, string? typeFromTag, string source, ICollection<TrajectoryNote> notes) =>
        Read(content, typeFromTag, (StepSource)source, notes);

    /// <summary>As the public overload, naming the source in two parts joined only for an error or a note.</summary>
    internal static Step Read(string content, string? typeFromTag, StepSource source, ICollection<TrajectoryNote> notes)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(notes);
        byte[]? rented = null;
        Span<byte> buffer = content.Length <= StackChars
            ? stackalloc byte[StackChars * 3]
            : (rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(content)));
        try
        {
            if (Utf8.FromUtf16(content, buffer, out _, out int length, replaceInvalidSequences: false) != OperationStatus.Done)
            {
                ThrowInvalidUtf16(content);
            }

            return ReadUtf8(buffer[..length], content, typeFromTag, source, notes);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// As <see cref="Read(string, string?, StepSource, ICollection{TrajectoryNote})"/> over content already held as
    /// valid UTF-8 (an event parsed into a <c>Utf8ContentArena</c>): no text is made of the whole content.
    /// </summary>
    internal static Step Read(ReadOnlySpan<byte> utf8, string? typeFromTag, StepSource source, ICollection<TrajectoryNote> notes)
    {
        ArgumentNullException.ThrowIfNull(notes);
        return ReadUtf8(utf8, null, typeFromTag, source, notes);
    }

    /// <param name="content">The content as text when the caller has it; made from <paramref name="utf8"/> only for an unknown step type, which keeps it whole.</param>
    private static Step ReadUtf8(ReadOnlySpan<byte> utf8, string? content, string? typeFromTag, StepSource source, ICollection<TrajectoryNote> notes)
    {
        Span<Slot> slots = stackalloc Slot[MemberCount];
        Fields f = Fields.Scan(utf8, slots, source);
        string? type = f.OptType();
        if (type is null)
        {
            if (typeFromTag is null)
            {
                throw new TrajectoryFormatException(source, "content.type", "missing, and no [\"step\", type] tag");
            }

            type = typeFromTag;
            notes.Add(new TrajectoryNote("legacy-step-tag", $"step type '{type}' taken from a [\"step\", ...] tag", source));
        }

        return ReadTyped(type, f, utf8, content, source, notes);
    }

    /// <summary>
    /// A count or exit code the model holds as an int. Out of range is an error: cast, 4294967296 would
    /// read as exit code 0 and turn a failed run into a passed one.
    /// </summary>
    private static int Int32(long value, string name, StepSource source) =>
        value is >= int.MinValue and <= int.MaxValue
            ? (int)value
            : throw new TrajectoryFormatException(source, "content." + name, $"must be an integer from {int.MinValue} to {int.MaxValue}, found {value}");

    private static void ThrowInvalidUtf16(string content)
    {
        // A lone surrogate in the content itself: JsonDocument.Parse refused it with an
        // ArgumentException (not a JsonException, so not wrapped). Let it say so in its own words;
        // such content never parses, so it always throws before the line after it.
        using (JsonDocument.Parse(content))
        {
        }

        throw new ArgumentException("content is not valid UTF-16", nameof(content));
    }

    // Every branch sets ts, confidence and signature as its last initializers: read after the
    // type's own fields, as before (so the same field fails first), without copying the step.
    private static Step ReadTyped(string type, Fields f, ReadOnlySpan<byte> utf8, string? content, StepSource source, ICollection<TrajectoryNote> notes)
    {
        switch (type)
        {
            case StepTypes.User:
                return new UserStep(f.String(Member.Content))
                {
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Agent:
                return new AgentStep(f.String(Member.Content))
                {
                    Model = f.OptString(Member.Model),
                    Usage = ReadUsage(f),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Thinking:
                return new ThinkingStep(f.String(Member.Content))
                {
                    Hash = f.OptString(Member.Hash),
                    Sig = f.OptString(Member.Sig),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Tool:
                return ReadTool(f, source, notes);
            case StepTypes.ToolStart:
                return new ToolStartStep(f.OptString(Member.Name) ?? string.Empty, f.OptString(Member.CallId) ?? string.Empty)
                {
                    Command = f.OptString(Member.Command),
                    InputJson = f.OptRawJson(Member.Input),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.ToolProgress:
                return new ToolProgressStep(f.OptString(Member.CallId) ?? string.Empty, f.String(Member.Progress))
                {
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Observation:
                return new ObservationStep(f.OptString(Member.CallId) ?? string.Empty, f.OptString(Member.Status) ?? string.Empty)
                {
                    Content = f.OptString(Member.Content),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Subagent:
                return new SubagentStep(f.String(Member.Name))
                {
                    Query = f.OptString(Member.Query),
                    Result = f.OptString(Member.Result),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Delegation:
                return new DelegationStep(f.String(Member.SubAgent))
                {
                    Scope = f.OptString(Member.Scope),
                    MaxAmount = f.OptLong(Member.MaxAmount),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Question:
                return new QuestionStep(f.String(Member.Content))
                {
                    Options = f.OptStringArray(Member.Options),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Todos:
                return new TodosStep(f.TodoItems(Member.Items))
                {
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Phase:
                return new PhaseStep(f.String(Member.Phase))
                {
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.SessionEnd:
                return new SessionEndStep
                {
                    Summary = f.OptString(Member.Summary),
                    Status = f.OptString(Member.Status),
                    TokensTotal = f.OptLong(Member.TokensTotal),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Verification:
                string kindText = f.String(Member.Kind);
                if (!WireNames.TryParseKind(kindText, out VerificationKind kind))
                {
                    throw new TrajectoryFormatException(source, "content.kind", $"'{kindText}' is not test, build, lint or other");
                }

                return new VerificationStep(f.String(Member.Command), kind, Int32(f.Long(Member.ExitCode), "exit_code", source))
                {
                    Passed = Int32(f.OptLong(Member.Passed) ?? 0, "passed", source),
                    Failed = Int32(f.OptLong(Member.Failed) ?? 0, "failed", source),
                    Skipped = Int32(f.OptLong(Member.Skipped) ?? 0, "skipped", source),
                    DurationMs = f.OptLong(Member.DurationMs),
                    OutputSha256 = f.OptString(Member.OutputSha256),
                    StatementSha256 = f.OptString(Member.StatementSha256),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case StepTypes.Reward:
                string signalText = f.String(Member.Signal);
                if (!WireNames.TryParseSignal(signalText, out RewardSignal signal))
                {
                    throw new TrajectoryFormatException(source, "content.signal", $"'{signalText}' is not accept, reject, edit, regenerate, abandon or score");
                }

                string sourceText = f.OptString(Member.Source) ?? "explicit";
                if (!WireNames.TryParseSource(sourceText, out RewardSource rewardSource))
                {
                    throw new TrajectoryFormatException(source, "content.source", $"'{sourceText}' is not explicit or implicit");
                }

                double value = f.Double(Member.Value);
                if (value is < -1 or > 1)
                {
                    throw new TrajectoryFormatException(source, "content.value", $"{value} is outside -1..1");
                }

                return new RewardStep(signal, value, rewardSource)
                {
                    Comment = f.OptString(Member.Comment),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case "ToolUse":
                notes.Add(new TrajectoryNote("legacy-type", "legacy step type ToolUse read as tool_start", source));
                return new ToolStartStep(
                    f.OptString(Member.Tool) ?? f.OptString(Member.Name) ?? string.Empty,
                    f.OptString(Member.CallId) ?? f.OptString(Member.Id) ?? f.OptString(Member.ToolUseId) ?? string.Empty)
                {
                    InputJson = f.OptRawJson(Member.Input) ?? f.OptRawJson(Member.Params),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case "ToolResult":
                notes.Add(new TrajectoryNote("legacy-type", "legacy step type ToolResult read as observation", source));
                bool? success = f.OptBool(Member.Success) ?? f.OptBool(Member.Ok);
                return new ObservationStep(
                    f.OptString(Member.CallId) ?? f.OptString(Member.ToolUseId) ?? f.OptString(Member.Id) ?? string.Empty,
                    success switch { true => "ok", false => "error", null => "unknown" })
                {
                    Content = f.OptString(Member.Output) ?? f.OptString(Member.Content) ?? f.OptString(Member.Result),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            case "Message":
                notes.Add(new TrajectoryNote("legacy-type", "legacy step type Message read as user/agent", source));
                string role = f.OptString(Member.Role) ?? "assistant";
                string text = f.OptString(Member.Content) ?? f.OptString(Member.Text) ?? string.Empty;
                return role == "user"
                    ? new UserStep(text) { Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature) }
                    : new AgentStep(text) { Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature) };
            case "Thinking":
                notes.Add(new TrajectoryNote("legacy-type", "legacy step type Thinking read as thinking", source));
                return new ThinkingStep(f.OptString(Member.Content) ?? f.OptString(Member.Thinking) ?? string.Empty)
                {
                    Hash = f.OptString(Member.Hash),
                    Sig = f.OptString(Member.Sig) ?? f.OptString(Member.Signature),
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
            default:
                notes.Add(new TrajectoryNote("unknown-type", $"step type '{type}' is not in the profile; kept as is", source));
                return new UnknownStep(type, content ?? Encoding.UTF8.GetString(utf8))
                {
                    Timestamp = f.OptTime(Member.Ts), Confidence = f.OptDouble(Member.Confidence), Signature = f.OptString(Member.Signature),
                };
        }
    }

    private static ToolStep ReadTool(Fields f, StepSource source, ICollection<TrajectoryNote> notes)
    {
        string output = f.OptString(Member.Output) ?? f.OptString(Member.Result) ?? string.Empty;
        bool truncated = f.OptBool(Member.Truncated) ?? false;

        // The usual hash is the output's own: compared on its UTF-8 text, it never becomes a string.
        bool ownHash = !truncated && f.TryGetPlainString(Member.OutputSha256, out ReadOnlySpan<byte> shaText) && IsSha256HexOf(shaText, output);
        string? sha = ownHash ? null : f.OptString(Member.OutputSha256);
        if (sha is not null && !truncated)
        {
            if (IsSha256HexOf(sha, output))
            {
                sha = null;
            }
            else
            {
                notes.Add(new TrajectoryNote("output-hash-mismatch", "output_sha256 does not hash the output, which is not marked truncated", source));
            }
        }

        return new ToolStep(
            f.String(Member.Name),
            f.OptString(Member.CallId) ?? string.Empty,
            f.OptRawJson(Member.Input) ?? "null",
            output,
            f.OptBool(Member.Ok) ?? true)
        {
            LatencyMs = f.OptLong(Member.LatencyMs),
            OutputTruncated = truncated,
            OutputSha256 = sha,
            Timestamp = f.OptTime(Member.Ts),
            Confidence = f.OptDouble(Member.Confidence),
            Signature = f.OptString(Member.Signature),
        };
    }

    // IsSha256HexOf(sha, text) is sha == Sha256.HexOfUtf8(text) without the hex string:
    // for a tool step with a long output the copies were the largest allocations of the whole read.
    private static bool IsSha256HexOf(string sha, string text)
    {
        if (sha.Length != Sha256.HashSizeInBytes * 2)
        {
            return false;
        }

        Span<char> hex = stackalloc char[Sha256.HashSizeInBytes * 2];
        Sha256.WriteHexOfUtf8(text, hex);
        return hex.SequenceEqual(sha);
    }

    private static bool IsSha256HexOf(ReadOnlySpan<byte> shaText, string text)
    {
        if (shaText.Length != Sha256.HashSizeInBytes * 2)
        {
            return false;
        }

        Span<char> hex = stackalloc char[Sha256.HashSizeInBytes * 2];
        Sha256.WriteHexOfUtf8(text, hex);
        return Ascii.Equals(shaText, hex);
    }

    private static Usage? ReadUsage(Fields f)
    {
        long? tokensIn = f.OptLong(Member.TokensIn);
        long? tokensOut = f.OptLong(Member.TokensOut);
        long? cached = f.OptLong(Member.TokensCached);
        decimal? cost = f.OptDecimal(Member.CostUsd);
        if (tokensIn is null && tokensOut is null && cached is null && cost is null)
        {
            return null;
        }

        return new Usage(tokensIn ?? 0, tokensOut ?? 0, cached ?? 0, cost ?? 0m);
    }
}
