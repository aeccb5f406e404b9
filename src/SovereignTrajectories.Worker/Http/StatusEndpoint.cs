using System.Text.Json;
using Microsoft.AspNetCore.Http;
using SovereignTrajectories.Worker.Intake;
using SovereignTrajectories.Worker.Outbox;

namespace SovereignTrajectories.Worker.Http;

/// <summary><c>GET /status</c>: the outbox (depth, sessions, relay health and last errors) and intake counters, as JSON.</summary>
internal static class StatusEndpoint
{
    public static async Task HandleAsync(HttpContext context, IntakeMonitor monitor, IWorkerStatusSource? outbox, TimeProvider time)
    {
        OutboxStatus? status = null;
        string? outboxError = null;
        if (outbox is not null)
        {
            try
            {
                status = await outbox.GetStatusAsync(context.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                outboxError = ex.Message;
            }
        }

        IntakeStatus intake = monitor.Snapshot();
        int code = outboxError is null ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        await JsonReplies.WriteAsync(context, code, w =>
        {
            w.WriteStartObject();
            w.WriteString("time", OutboxStatusJson.Time(time.GetUtcNow()));
            if (status is not null)
            {
                WriteOutbox(w, status);
            }
            else
            {
                w.WriteNull("outbox");
                if (outboxError is not null)
                {
                    w.WriteString("outbox_error", outboxError);
                }
            }

            w.WriteStartObject("intake");
            w.WriteNumber("files_archived", intake.FilesArchived);
            w.WriteNumber("files_failed", intake.FilesFailed);
            w.WriteNumber("live_runs_following", intake.LiveRunsFollowing);
            w.WriteNumber("live_runs_ended", intake.LiveRunsEnded);
            w.WriteNumber("live_steps_appended", intake.LiveStepsAppended);
            w.WriteNumber("otlp_open_traces", intake.OpenTraces);
            w.WriteNumber("otlp_traces_committed", intake.TracesCommitted);
            w.WriteNumber("otlp_spans_received", intake.SpansReceived);
            w.WriteNumber("otlp_late_spans_dropped", intake.LateSpansDropped);
            w.WriteNumber("feedback_applied", intake.FeedbackApplied);
            w.WriteNumber("feedback_rejected", intake.FeedbackRejected);
            w.WriteEndObject();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static void WriteOutbox(Utf8JsonWriter w, OutboxStatus s)
    {
        w.WriteStartObject("outbox");
        OutboxStatusJson.WriteFields(w, s);
        w.WriteEndObject();
    }
}
