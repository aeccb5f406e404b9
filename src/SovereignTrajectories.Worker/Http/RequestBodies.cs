using System.IO.Compression;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SovereignTrajectories.Worker.Http;

/// <summary>Reads a JSON request body within a size limit, undoing gzip/deflate content encoding.</summary>
internal static class RequestBodies
{
    public static async Task<byte[]> ReadJsonAsync(HttpRequest request, long maxBytes, string hint, CancellationToken cancellationToken) =>
        (await ReadAsync(request, maxBytes, hint, allowProtobuf: false, cancellationToken).ConfigureAwait(false)).Body;

    /// <summary>Reads a JSON (or, when allowed, protobuf) body; returns it and whether it is protobuf.</summary>
    public static async Task<(byte[] Body, bool Protobuf)> ReadAsync(HttpRequest request, long maxBytes, string hint, bool allowProtobuf, CancellationToken cancellationToken)
    {
        string? contentType = request.ContentType;
        string accepted = allowProtobuf ? "application/json or application/x-protobuf" : "application/json";
        if (string.IsNullOrEmpty(contentType))
        {
            throw new HttpIntakeException(415, $"missing Content-Type; send {accepted}{hint}");
        }

        bool protobuf = false;
        if (!MediaTypeHeaderValue.TryParse(contentType, out MediaTypeHeaderValue? media))
        {
            throw new HttpIntakeException(415, $"Content-Type '{contentType}' is not supported; send {accepted}{hint}");
        }

        if (allowProtobuf && media.MediaType.Equals("application/x-protobuf", StringComparison.OrdinalIgnoreCase))
        {
            protobuf = true;
        }
        else if (!(media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                   || media.MediaType.Value?.EndsWith("+json", StringComparison.OrdinalIgnoreCase) == true))
        {
            throw new HttpIntakeException(415, $"Content-Type '{contentType}' is not supported; send {accepted}{hint}");
        }

        if (request.ContentLength > maxBytes)
        {
            throw new HttpIntakeException(413, $"body of {request.ContentLength} bytes is over the {maxBytes}-byte limit");
        }

        string encoding = request.Headers.ContentEncoding.ToString().Trim();
        Stream body = encoding.ToLowerInvariant() switch
        {
            "" or "identity" => request.Body,
            "gzip" => new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            "deflate" => new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true),
            _ => throw new HttpIntakeException(415, $"Content-Encoding '{encoding}' is not supported; use gzip or none"),
        };

        try
        {
            using var copy = new MemoryStream();
            byte[] buffer = new byte[81920];
            while (true)
            {
                int read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                if (copy.Length + read > maxBytes)
                {
                    throw new HttpIntakeException(413, $"body is over the {maxBytes}-byte limit");
                }

                copy.Write(buffer, 0, read);
            }

            if (copy.Length == 0 && !protobuf)
            {
                throw new HttpIntakeException(400, "empty body; expected a JSON document");
            }

            return (copy.ToArray(), protobuf);
        }
        catch (InvalidDataException ex)
        {
            throw new HttpIntakeException(400, $"body is not valid {encoding} data ({ex.Message})", ex);
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex)
        {
            throw new HttpIntakeException(ex.StatusCode, $"body could not be read ({ex.Message})", ex);
        }
        finally
        {
            if (!ReferenceEquals(body, request.Body))
            {
                await body.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
