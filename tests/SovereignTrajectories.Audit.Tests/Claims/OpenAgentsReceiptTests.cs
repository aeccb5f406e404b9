using SovereignTrajectories.Audit.Checks;
using SovereignTrajectories.Audit.Claims;
using static SovereignTrajectories.Audit.Tests.Claims.ClaimTestData;

namespace SovereignTrajectories.Audit.Tests.Claims;

public sealed class OpenAgentsReceiptTests : IDisposable
{
    private readonly ClaimTestData _data = new();

    [Fact]
    public void Reads_a_receipt_with_a_prefixed_hash_and_tolerates_unknown_fields()
    {
        OpenAgentsReceipt receipt = OpenAgentsReceiptReader.Read(Json(hash: "sha256:" + Hex('2').ToUpperInvariant()), "RECEIPT.json");

        Assert.Equal(Sid, receipt.SessionId);
        Assert.Equal(Hex('2'), receipt.TrajectoryHash);
        Assert.True(receipt.UsedLegacyHashPrefix);
        Assert.Equal("policy-1", receipt.PolicyBundleId);
        Assert.Equal(2, receipt.Verification.Count);
        Assert.True(receipt.VerificationPassed);
        OpenAgentsReceiptPayment payment = Assert.Single(receipt.Payments);
        Assert.Equal(21_000L, payment.AmountMsat);
        Assert.Equal("lightning", payment.Rail);
    }

    [Fact]
    public void Reads_an_amount_given_in_satoshi()
    {
        string json = $$"""{"schema":"openagents.receipt.v1","session_id":"s","trajectory_hash":"{{Hex('2')}}","payments":[{"amount_sats":21}]}""";

        Assert.Equal(21_000L, OpenAgentsReceiptReader.Read(json, "r.json").Payments[0].AmountMsat);
    }

    [Theory]
    [InlineData("""{"schema":"openagents.receipt.v1","trajectory_hash":"x"}""", "RECEIPT.json: session_id: is missing or empty")]
    [InlineData("""{"schema":"openagents.receipt.v2","session_id":"s","trajectory_hash":"x"}""", "RECEIPT.json: schema: is 'openagents.receipt.v2', expected 'openagents.receipt.v1'")]
    [InlineData("""{"schema":"openagents.receipt.v1","session_id":"s","trajectory_hash":"sha256:abc"}""", "RECEIPT.json: trajectory_hash: 'sha256:abc' is not 64 hex")]
    [InlineData("""{"schema":"openagents.receipt.v1","session_id":"s","trajectory_hash":"2222222222222222222222222222222222222222222222222222222222222222","payments":[{},{"amount_msat":"21"}]}""", "RECEIPT.json: payments[1].amount_msat: must be an integer")]
    [InlineData("""{"schema":"openagents.receipt.v1","session_id":"s","trajectory_hash":"2222222222222222222222222222222222222222222222222222222222222222","verification":[{"command":"make"}]}""", "RECEIPT.json: verification[0].exit_code: is missing")]
    [InlineData("""{"schema":1}""", "RECEIPT.json: schema: must be a string")]
    [InlineData("""[1,2]""", "RECEIPT.json: json: must be an object")]
    [InlineData("""{"schema":""", "RECEIPT.json: json: is not valid JSON")]
    public void Rejects_malformed_receipts_naming_the_file_and_the_field(string json, string expected)
    {
        var ex = Assert.Throws<ClaimFormatException>(() => OpenAgentsReceiptReader.Read(json, "RECEIPT.json"));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Passes_for_a_receipt_matching_the_trajectory_and_notes_the_legacy_prefix()
    {
        CheckList list = ClaimAuditor.AuditOpenAgentsReceipt(OpenAgentsReceiptReader.Read(Json(hash: "sha256:" + Hex('2')), "RECEIPT.json"), _data.Trajectory);

        Assert.Empty(Failures(list));
        AssertStatus(list, ClaimCheckNames.ReceiptJsonSession, CheckStatus.Pass);
        AssertStatus(list, ClaimCheckNames.Verification, CheckStatus.Pass);
        AssertStatus(list, ClaimCheckNames.InvoiceAmount, CheckStatus.Pass);
        AssertStatus(list, ClaimCheckNames.ZapPreimage, CheckStatus.Pass);
        AssertStatus(list, ClaimCheckNames.PaymentSettled, CheckStatus.Unverifiable);
        Assert.Contains(list, r => r.Name == ClaimCheckNames.TrajectoryHash && r.Status == CheckStatus.Note);
        Assert.Contains(list, r => r.Name == ClaimCheckNames.TrajectoryHash && r.Status == CheckStatus.Pass);
    }

    [Fact]
    public void Fails_the_session_check_for_a_receipt_of_another_session()
    {
        AssertOnlyFailure(Audit(Json(sessionId: "run-other")), ClaimCheckNames.ReceiptJsonSession);
    }

    [Fact]
    public void Fails_the_hash_check_for_a_receipt_of_other_steps()
    {
        AssertOnlyFailure(Audit(Json(hash: Hex('a'))), ClaimCheckNames.TrajectoryHash);
    }

    [Fact]
    public void Fails_the_verification_check_when_the_receipt_shows_a_failing_command_over_a_passing_record()
    {
        AssertOnlyFailure(Audit(Json(exitCode: 1)), ClaimCheckNames.Verification);
    }

    [Fact]
    public void Fails_the_preimage_check_for_a_recorded_preimage_of_another_payment()
    {
        AssertOnlyFailure(Audit(Json(preimage: Hex('3'))), ClaimCheckNames.ZapPreimage);
    }

    [Fact]
    public void Fails_the_amount_check_for_a_recorded_amount_that_differs_from_the_invoice()
    {
        AssertOnlyFailure(Audit(Json(amountMsat: 1_000)), ClaimCheckNames.InvoiceAmount);
    }

    private CheckList Audit(string json) => ClaimAuditor.AuditOpenAgentsReceipt(OpenAgentsReceiptReader.Read(json, "RECEIPT.json"), _data.Trajectory);

    private string Json(string? hash = null, string sessionId = Sid, int exitCode = 0, string? preimage = null, long amountMsat = 21_000) => $$"""
        {
          "schema": "openagents.receipt.v1",
          "session_id": "{{sessionId}}",
          "trajectory_hash": "{{hash ?? Hex('2')}}",
          "policy_bundle_id": "policy-1",
          "created_at": "2023-11-14T22:13:20Z",
          "tool_calls": [{"tool": "Read", "params_hash": "x", "output_hash": "y", "latency_ms": 3, "side_effects": []}],
          "verification": [
            {"command": "dotnet test", "exit_code": {{exitCode}}, "duration_ms": 1200, "verification_delta": 3},
            {"command": "dotnet build", "exit_code": 0}
          ],
          "payments": [
            {"rail": "lightning", "amount_msat": {{amountMsat}}, "bolt11": "{{_data.Invoice(21_000)}}",
             "payment_hash": "{{Convert.ToHexStringLower(_data.PaymentHash)}}", "preimage": "{{preimage ?? Convert.ToHexStringLower(_data.Preimage)}}", "future": {"x": 1} }
          ]
        }
        """;

    public void Dispose() => _data.Dispose();
}
