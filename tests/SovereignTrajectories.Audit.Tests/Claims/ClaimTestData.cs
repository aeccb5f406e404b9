using System.Security.Cryptography;
using System.Text;
using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Claims;
using SovereignTrajectories.Audit.Tests.Payments.Bolt11;
using SovereignTrajectories.Nostr.Events;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Trajectories.Model;
using SovereignTrajectories.Trajectories.Receipts;

namespace SovereignTrajectories.Audit.Tests.Claims;

/// <summary>A consistent set of real signed events for claim tests: an agent's session, its receipt, a zap and NIP-90 events.</summary>
internal sealed class ClaimTestData : IDisposable
{
    public const long EndedAt = 1_700_000_000;
    public const string Sid = "run-claims-1";

    public ClaimTestData()
    {
        Trajectory = new ResolvedTrajectory(
            $"39230:{Agent.PublicKey.Hex}:{Sid}",
            Hex('1'),
            Hex('2'),
            Hex('3'),
            5,
            true,
            Hex('4'),
            EndedAt,
            [Hex('0'), Hex('1')]);
    }

    public SecretKey Agent { get; } = SecretKey.Generate();

    public SecretKey Customer { get; } = SecretKey.Generate();

    public SecretKey LnurlServer { get; } = SecretKey.Generate();

    public ResolvedTrajectory Trajectory { get; }

    public byte[] Preimage { get; } = RandomNumberGenerator.GetBytes(32);

    public byte[] PaymentHash => SHA256.HashData(Preimage);

    public static string Hex(char c) => new(c, 64);

    public static string HrpFor(long msat) => msat % 100 == 0 ? $"lnbc{msat / 100}n" : $"lnbc{msat * 10}p";

    public TickReceipt Receipt(long? amountMsat = 21_000, string? bolt11 = null) => new(
        Sid,
        Trajectory.SessionCoordinate,
        Trajectory.FinalSessionEventId,
        "wss://relay.example",
        Trajectory.TrajectoryHash,
        Trajectory.MerkleRoot,
        Trajectory.StepCount,
        TickStatus.Success,
        Trajectory.VerificationPassed,
        Trajectory.VerificationDigest,
        amountMsat,
        bolt11 ?? (amountMsat is long a ? Invoice(a, description: "work") : null),
        new TickReceiptSummary(5, new Usage(10, 20, 0, 0.01m)));

    public NostrEvent SignReceipt(TickReceipt receipt, SecretKey? key = null) =>
        EventSigner.Sign(TickReceiptBuilder.Build(receipt, EndedAt + 5), key ?? Agent);

    /// <summary>An invoice signed with the BOLT 11 examples' key, for <paramref name="msat"/>, committing to a description or its hash.</summary>
    public string Invoice(long msat, string? description = null, string? descriptionHashOf = null, long timestamp = EndedAt + 10, long expiry = 600, byte[]? paymentHash = null)
    {
        var b = TestInvoiceBuilder.Standard(HrpFor(msat), timestamp, paymentHash ?? PaymentHash);
        if (descriptionHashOf is not null)
        {
            b.AddBytes('h', SHA256.HashData(Encoding.UTF8.GetBytes(descriptionHashOf)));
        }
        else
        {
            b.AddText('d', description ?? "x");
        }

        b.AddNumber('x', expiry);
        return b.Build();
    }

    public NostrEvent ZapRequest(string targetId, long? amountMsat = 21_000, IEnumerable<Tag>? extraTags = null, string? recipient = null)
    {
        var tags = new List<Tag>
        {
            new("relays", "wss://relay.example"),
            new("p", recipient ?? Agent.PublicKey.Hex),
            new("e", targetId),
        };
        if (amountMsat is long a)
        {
            tags.Add(new Tag("amount", a.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        tags.AddRange(extraTags ?? []);
        return EventSigner.Sign(new UnsignedEvent(EndedAt + 9, 9734, tags, "great work"), Customer);
    }

    /// <summary>A zap receipt for <paramref name="request"/>; the invoice commits to <paramref name="invoiceDescription"/> (default: the request JSON).</summary>
    public NostrEvent ZapReceipt(NostrEvent request, string? bolt11 = null, string? preimageHex = null, long paidAt = EndedAt + 20, string? receiptP = null, bool includePreimage = true)
    {
        string description = CanonicalJson.Serialize(request);
        var tags = new List<Tag>
        {
            new("p", receiptP ?? request.Tags.FindValue("p")!),
            new("P", request.PubKey),
        };
        if (request.Tags.FindValue("e") is { } e)
        {
            tags.Add(new Tag("e", e));
        }

        tags.Add(new Tag("bolt11", bolt11 ?? Invoice(21_000, descriptionHashOf: description)));
        tags.Add(new Tag("description", description));
        if (includePreimage)
        {
            tags.Add(new Tag("preimage", preimageHex ?? Convert.ToHexStringLower(Preimage)));
        }

        return EventSigner.Sign(new UnsignedEvent(paidAt, 9735, tags, string.Empty), LnurlServer);
    }

    public static IReadOnlyList<string> Failures(CheckList list) =>
        [.. list.Where(r => r.Status == CheckStatus.Fail).Select(r => r.Name).Distinct()];

    public static void AssertOnlyFailure(CheckList list, string name)
    {
        Assert.Equal([name], Failures(list));
    }

    public static void AssertStatus(CheckList list, string name, CheckStatus status)
    {
        CheckResult? result = list.Find(name);
        Assert.True(result is not null, $"no check named {name}; have: {string.Join(", ", list.Select(r => r.Name))}");
        Assert.True(result.Status == status, $"{name} is {result.Status}, expected {status}: {result.Reason}");
    }

    public void Dispose()
    {
        Agent.Dispose();
        Customer.Dispose();
        LnurlServer.Dispose();
    }
}
