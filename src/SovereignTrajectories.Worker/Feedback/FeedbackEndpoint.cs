using Microsoft.AspNetCore.Http;
using SovereignTrajectories.Worker.Http;
using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Feedback;

/// <summary>
/// <c>POST /v1/feedback {session_id, signal, value?, comment?}</c>: 200 with the stored reward's
/// seq, or 400/404/409/413/415 with <c>{"error": reason}</c>.
/// </summary>
internal static class FeedbackEndpoint
{
    private const long MaxBodyBytes = 64 * 1024;

    public static async Task HandleAsync(HttpContext context, FeedbackService feedback, IntakeMonitor monitor)
    {
        CancellationToken ct = context.RequestAborted;
        try
        {
            byte[] body = await RequestBodies.ReadJsonAsync(context.Request, MaxBodyBytes, string.Empty, ct).ConfigureAwait(false);
            FeedbackRequest request = FeedbackParser.Parse(body, "request body", allowArray: false)[0];
            SinkSession stored = await feedback.ApplyAsync(request, "feedback-http", ct).ConfigureAwait(false);
            await JsonReplies.WriteAsync(context, StatusCodes.Status200OK, w =>
            {
                w.WriteStartObject();
                w.WriteString("session_id", stored.Sid);
                w.WriteNumber("seq", stored.StepCount);
                w.WriteBoolean("final", stored.Ended);
                w.WriteEndObject();
            }).ConfigureAwait(false);
        }
        catch (HttpIntakeException ex)
        {
            monitor.Feedback(applied: false);
            await JsonReplies.ErrorAsync(context, ex.StatusCode, ex.Message).ConfigureAwait(false);
        }
        catch (FeedbackException ex)
        {
            if (ex.StatusCode == StatusCodes.Status400BadRequest)
            {
                monitor.Feedback(applied: false);
            }

            await JsonReplies.ErrorAsync(context, ex.StatusCode, ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !context.Response.HasStarted)
        {
            // The outbox could not take it now: the client may retry the same feedback.
            context.Response.Headers.RetryAfter = "1";
            await JsonReplies.ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, $"feedback could not be stored ({ex.Message}); retry").ConfigureAwait(false);
        }
    }
}
