using System.Globalization;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>Reads NIP-90 job requests, results and feedback. Throws <see cref="ClaimFormatException"/> naming the event and tag.</summary>
public static class Nip90Parser
{
    public static JobRequest ParseRequest(NostrEvent request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string input = $"job request {request.Id}";
        if (request.Kind is < JobRequest.MinKind or > JobRequest.MaxKind)
        {
            throw new ClaimFormatException(input, "kind", $"is {request.Kind}, a job request is 5000-5999");
        }

        long? bid = request.Tags.FindValue("bid") is { } b ? Msat(input, "tag bid", b) : null;
        return new JobRequest(request, bid, [.. request.Tags.All("p").Select(t => t.Value).OfType<string>()]);
    }

    public static JobResult ParseResult(NostrEvent result)
    {
        ArgumentNullException.ThrowIfNull(result);
        string input = $"job result {result.Id}";
        if (result.Kind is < JobResult.MinKind or > JobResult.MaxKind)
        {
            throw new ClaimFormatException(input, "kind", $"is {result.Kind}, a job result is 6000-6999");
        }

        TagList tags = result.Tags;
        Tag? amount = tags.Find("amount");
        Tag? merkle = tags.Find("merkle_root");
        return new JobResult(
            result,
            tags.FindValue("e"),
            tags.FindValue("p"),
            tags.FindValue("request"),
            amount is null ? null : Msat(input, "tag amount", amount.Value),
            amount is { Count: > 2 } && amount[2].Length > 0 ? amount[2] : null,
            tags.FindValue("a"),
            tags.FindValue("trajectory"),
            tags.FindValue("trajectory_hash"),
            merkle?.Value,
            merkle is { Count: > 2 } ? Msat(input, "tag merkle_root", merkle[2]) : null);
    }

    public static JobFeedback ParseFeedback(NostrEvent feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        string input = $"job feedback {feedback.Id}";
        if (feedback.Kind != JobFeedback.Kind)
        {
            throw new ClaimFormatException(input, "kind", $"is {feedback.Kind}, job feedback is {JobFeedback.Kind}");
        }

        TagList tags = feedback.Tags;
        Tag status = tags.Find("status") ?? throw new ClaimFormatException(input, "tag status", "is missing");
        Tag? amount = tags.Find("amount");
        return new JobFeedback(
            feedback,
            status.Value ?? string.Empty,
            status.Count > 2 ? status[2] : null,
            tags.FindValue("e"),
            tags.FindValue("p"),
            amount is null ? null : Msat(input, "tag amount", amount.Value),
            amount is { Count: > 2 } && amount[2].Length > 0 ? amount[2] : null);
    }

    private static long Msat(string input, string field, string? value)
    {
        if (value is null || value.Length == 0 || !value.All(char.IsAsciiDigit)
            || !long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long msat))
        {
            throw new ClaimFormatException(input, field, $"'{value}' is not a non-negative integer");
        }

        return msat;
    }
}
