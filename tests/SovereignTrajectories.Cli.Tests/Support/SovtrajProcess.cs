using System.Diagnostics;

namespace SovereignTrajectories.Cli.Tests.Support;

/// <summary>Runs the real <c>sovtraj</c> (the built dll beside the tests) as a child process.</summary>
public static class SovtrajProcess
{
    public static async Task<SovtrajResult> RunAsync(
        IEnumerable<string> args,
        string? stdin = null,
        IReadOnlyDictionary<string, string?>? environment = null,
        string? workingDirectory = null,
        CancellationToken cancellationToken = default)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "sovtraj.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        start.ArgumentList.Add(dll);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        // A key in the test runner's environment must never leak into a test that expects none.
        start.Environment.Remove("SOVTRAJ_SECRET_KEY");
        if (environment is not null)
        {
            foreach ((string key, string? value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken);
        }

        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new SovtrajResult(process.ExitCode, await stdout, await stderr);
    }

    public static Task<SovtrajResult> RunAsync(params string[] args) => RunAsync(args, stdin: null);
}
