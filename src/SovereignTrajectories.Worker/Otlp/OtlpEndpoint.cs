using Microsoft.AspNetCore.Http;
using SovereignTrajectories.Worker.Http;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// <c>POST /v1/traces</c>, OTLP/HTTP with a JSON body (protobuf is refused with 415 and a hint).
/// Answers an <c>ExportTraceServiceResponse</c> (with <c>partialSuccess</c> when late spans were
/// refused) or a <c>google.rpc.Status</c>-shaped error with the reason.
/// </summary>
internal static class OtlpEndpoint
{
    private const string Hint = " (OTLP/HTTP JSON: set OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/json)";

    public static async Task HandleAsync(HttpContext context, OtlpTraceAssembler assembler, long maxBodyBytes)
    {
        CancellationToken ct = context.RequestAborted;
        try
        {
            byte[] body = await RequestBodies.ReadJsonAsync(context.Request, maxBodyBytes, Hint, ct).ConfigureAwait(false);
            OtlpAcceptResult result = await assembler.AcceptAsync(body, ct).ConfigureAwait(false);
            await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                if (result.LateSpansRejected > 0)
                {
                    w.WriteStartObject("partialSuccess");
                    w.WriteString("rejectedSpans", result.LateSpansRejected.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteString("errorMessage", $"{result.LateSpansRejected} spans belong to traces already stored as runs");
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }).ConfigureAwait(false);
        }
        catch (HttpIntakeException ex)
        {
            await ErrorAsync(context, ex.StatusCode, ex.Message).ConfigureAwait(false);
        }
        catch (OtlpRequestException ex)
        {
            await ErrorAsync(context, ex.StatusCode, ex.Message).ConfigureAwait(false);
        }
    }

    private static Task ErrorAsync(HttpContext context, int status, string reason)
    {
        // google.rpc.Code: INVALID_ARGUMENT for bad requests, RESOURCE_EXHAUSTED / UNAVAILABLE for retryable ones.
        int code = status switch
        {
            StatusCodes.Status429TooManyRequests => 8,
            StatusCodes.Status503ServiceUnavailable => 14,
            _ => 3,
        };
        if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "1";
        }

        return JsonReplies.WriteAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("code", code);
            w.WriteString("message", reason);
            w.WriteEndObject();
        });
    }
}
