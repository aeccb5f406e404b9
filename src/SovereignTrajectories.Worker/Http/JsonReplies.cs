using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace SovereignTrajectories.Worker.Http;

/// <summary>Writes JSON answers; errors are <c>{"error": reason}</c> so a client sees why it was refused.</summary>
internal static class JsonReplies
{
    public static Task ErrorAsync(HttpContext context, int status, string reason) =>
        WriteAsync(context, status, w =>
        {
            w.WriteStartObject();
            w.WriteString("error", reason);
            w.WriteEndObject();
        });

    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted).ConfigureAwait(false);
    }
}
