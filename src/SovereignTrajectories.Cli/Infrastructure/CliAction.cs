using System.CommandLine;

namespace SovereignTrajectories.Cli.Infrastructure;

/// <summary>
/// Wraps a command body so that every failure the user can cause becomes one line on stderr and
/// exit code 2, and nothing (least of all a secret key) leaks through a stack trace.
/// </summary>
internal static class CliAction
{
    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> body)
    {
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await Console.Error.WriteLineAsync("sovtraj: cancelled").ConfigureAwait(false);
                return 130;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                await Console.Error.WriteLineAsync("sovtraj: " + Describe(ex)).ConfigureAwait(false);
                return ExitCodes.CouldNotRun;
            }
        });
    }

    /// <summary>One line: the message of the innermost exception that says something useful.</summary>
    private static string Describe(Exception ex)
    {
        string message = ex.Message.ReplaceLineEndings(" ");
        // Our own exception types and the usual I/O and format errors already say what is wrong;
        // anything else is unexpected, so its type helps a bug report.
        bool speaksForItself = ex is IOException or UnauthorizedAccessException or FormatException or ArgumentException
            || (ex.GetType().Namespace ?? string.Empty).StartsWith("SovereignTrajectories", StringComparison.Ordinal);
        return speaksForItself ? message : $"{message} ({ex.GetType().Name})";
    }
}
