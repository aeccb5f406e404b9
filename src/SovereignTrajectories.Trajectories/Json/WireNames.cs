using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Json;

/// <summary>The wire spelling of the model's enums (lower-case words) and their parsers.</summary>
public static class WireNames
{
    public static string Of(VerificationKind kind) => kind switch
    {
        VerificationKind.Test => "test",
        VerificationKind.Build => "build",
        VerificationKind.Lint => "lint",
        _ => "other",
    };

    public static string Of(RewardSignal signal) => signal switch
    {
        RewardSignal.Accept => "accept",
        RewardSignal.Reject => "reject",
        RewardSignal.Edit => "edit",
        RewardSignal.Regenerate => "regenerate",
        RewardSignal.Abandon => "abandon",
        _ => "score",
    };

    public static string Of(RewardSource source) => source == RewardSource.Implicit ? "implicit" : "explicit";

    public static string Of(TrajectoryVisibility visibility) => visibility == TrajectoryVisibility.Private ? "private" : "public";

    public static bool TryParseKind(string? text, out VerificationKind kind)
    {
        (bool ok, kind) = text switch
        {
            "test" => (true, VerificationKind.Test),
            "build" => (true, VerificationKind.Build),
            "lint" => (true, VerificationKind.Lint),
            "other" => (true, VerificationKind.Other),
            _ => (false, VerificationKind.Other),
        };
        return ok;
    }

    public static bool TryParseSignal(string? text, out RewardSignal signal)
    {
        (bool ok, signal) = text switch
        {
            "accept" => (true, RewardSignal.Accept),
            "reject" => (true, RewardSignal.Reject),
            "edit" => (true, RewardSignal.Edit),
            "regenerate" => (true, RewardSignal.Regenerate),
            "abandon" => (true, RewardSignal.Abandon),
            "score" => (true, RewardSignal.Score),
            _ => (false, RewardSignal.Score),
        };
        return ok;
    }

    public static bool TryParseSource(string? text, out RewardSource source)
    {
        (bool ok, source) = text switch
        {
            "explicit" => (true, RewardSource.Explicit),
            "implicit" => (true, RewardSource.Implicit),
            _ => (false, RewardSource.Explicit),
        };
        return ok;
    }

    public static bool TryParseVisibility(string? text, out TrajectoryVisibility visibility)
    {
        (bool ok, visibility) = text switch
        {
            "public" => (true, TrajectoryVisibility.Public),
            "private" => (true, TrajectoryVisibility.Private),
            _ => (false, TrajectoryVisibility.Public),
        };
        return ok;
    }
}
