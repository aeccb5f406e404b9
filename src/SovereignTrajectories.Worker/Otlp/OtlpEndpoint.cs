using System.Globalization;
using Microsoft.AspNetCore.Http;
using SovereignTrajectories.Worker.Http;

namespace SovereignTrajectories.Worker.Otlp;

/// <summary>
/// <c>POST /v1/traces</c>, OTLP/HTTP with a JSON or protobuf body (protobuf is transcoded to
/// JSON and takes the same path). Answers an <c>ExportTraceServiceResponse</c> in the request's
/// encoding (with <c>partialSuccess</c> when late spans were refused), or a
/// <c>google.rpc.Status</c> with the reason.
/// </summary>
internal static class OtlpEndpoint
{
    private const string Hint = " (OTLP/HTTP: http/json or http/protobuf)";
    private const string ProtobufType = "application/x-protobuf";

    public static async Task HandleAsync(HttpContext context, OtlpTraceAssembler assembler, long maxBodyBytes)
    {
        CancellationToken ct = context.RequestAborted;
        bool protobuf = false;
        try
        {
            (byte[] body, protobuf) = await RequestBodies.ReadAsync(context.Request, maxBodyBytes, Hint, allowProtobuf: true, ct).ConfigureAwait(false);
            if (protobuf)
            {
                try
                {
                    body = OtlpProtobufTranscoder.ToJson(body);
                }
                catch (InvalidDataException ex)
                {
                    throw new OtlpRequestException(400, $"request body: not an OTLP protobuf ExportTraceServiceRequest ({ex.Message})", ex);
                }
            }

            OtlpAcceptResult result = await assembler.AcceptAsync(body, ct).ConfigureAwait(false);
            string? partial = result.LateSpansRejected > 0 ? $"{result.LateSpansRejected} spans belong to traces already stored as runs" : null;
            if (protobuf)
            {
                await WriteProtobufAsync(context, StatusCodes.Status200OK, partial is null ? [] : PartialSuccess(result.LateSpansRejected, partial)).ConfigureAwait(false);
                return;
            }

            await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                if (partial is not null)
                {
                    w.WriteStartObject("partialSuccess");
                    w.WriteString("rejectedSpans", result.LateSpansRejected.ToString(CultureInfo.InvariantCulture));
                    w.WriteString("errorMessage", partial);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }).ConfigureAwait(false);
        }
        catch (HttpIntakeException ex)
        {
            await ErrorAsync(context, ex.StatusCode, ex.Message, protobuf).ConfigureAwait(false);
        }
        catch (OtlpRequestException ex)
        {
            await ErrorAsync(context, ex.StatusCode, ex.Message, protobuf).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
        {
            await ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"spans could not be taken ({ex.Message}); retry", protobuf).ConfigureAwait(false);
        }
    }

    private static Task ErrorAsync(HttpContext context, int status, string reason, bool protobuf)
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

        if (protobuf)
        {
            return WriteProtobufAsync(context, status, RpcStatus(code, reason));
        }

        return JsonReplies.WriteAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("code", code);
            w.WriteString("message", reason);
            w.WriteEndObject();
        });
    }

    private static async Task WriteProtobufAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ProtobufType;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    // ExportTraceServiceResponse { 1: ExportTracePartialSuccess { 1: int64 rejected_spans, 2: string error_message } }
    private static byte[] PartialSuccess(long rejected, string message)
    {
        using var inner = new MemoryStream();
        ProtoWriter.Varint(inner, 1, (ulong)rejected);
        ProtoWriter.String(inner, 2, message);
        using var outer = new MemoryStream();
        ProtoWriter.Bytes(outer, 1, inner.ToArray());
        return outer.ToArray();
    }

    // google.rpc.Status { 1: int32 code, 2: string message }
    private static byte[] RpcStatus(int code, string message)
    {
        using var stream = new MemoryStream();
        ProtoWriter.Varint(stream, 1, (ulong)code);
        ProtoWriter.String(stream, 2, message);
        return stream.ToArray();
    }
}
