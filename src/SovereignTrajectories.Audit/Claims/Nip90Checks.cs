using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Audit.Claims;

/// <summary>NIP-90 linkage between a job request and its result or feedback: kind, <c>e</c> and <c>p</c>.</summary>
public static class Nip90Checks
{
    /// <summary>The result's kind is the request's kind plus 1000, and the request's kind is a job request kind.</summary>
    public static CheckResult Kind(NostrEvent request, NostrEvent result)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        if (request.Kind is < JobRequest.MinKind or > JobRequest.MaxKind)
        {
            return CheckResult.Fail(ClaimCheckNames.Nip90Kind, $"request kind {request.Kind} is not a job request kind (5000-5999)", request.Id, result.Id);
        }

        return result.Kind == request.Kind + 1000
            ? CheckResult.Pass(ClaimCheckNames.Nip90Kind, $"result kind {result.Kind} = request kind {request.Kind} + 1000", request.Id, result.Id)
            : CheckResult.Fail(ClaimCheckNames.Nip90Kind, $"result kind {result.Kind} is not request kind {request.Kind} + 1000", request.Id, result.Id);
    }

    /// <summary>The response's <c>e</c> tag names the request.</summary>
    public static CheckResult E(NostrEvent request, string? requestEventId, string responseId, string name = ClaimCheckNames.Nip90E)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (requestEventId is null)
        {
            return CheckResult.Fail(name, "response has no 'e' tag naming the request", responseId);
        }

        return requestEventId == request.Id
            ? CheckResult.Pass(name, "response 'e' names the request", request.Id, responseId)
            : CheckResult.Fail(name, $"response 'e' names {requestEventId}, not the request {request.Id}", request.Id, responseId);
    }

    /// <summary>The response's <c>p</c> tag names the customer: the request's author.</summary>
    public static CheckResult P(NostrEvent request, string? customerPubKey, string responseId, string name = ClaimCheckNames.Nip90P)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (customerPubKey is null)
        {
            return CheckResult.Fail(name, "response has no 'p' tag naming the customer", responseId);
        }

        return customerPubKey == request.PubKey
            ? CheckResult.Pass(name, "response 'p' names the request's author", request.Id, responseId)
            : CheckResult.Fail(name, $"response 'p' names {customerPubKey}, not the request's author {request.PubKey}", request.Id, responseId);
    }
}
