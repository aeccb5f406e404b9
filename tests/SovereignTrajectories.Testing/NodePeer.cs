using System.Diagnostics;
using System.Text;

namespace SovereignTrajectories.Testing;

/// <summary>
/// Runs a Node script from <c>tests/peers</c> (nostr-tools, nostr-wasm, rust-nostr) as a one-shot
/// child process: arguments in, optional stdin, stdout back. The process never outlives the call.
/// </summary>
public static class NodePeer
{
    private const string InstallCommand = "npm ci";
    private const int StderrTailChars = 4000;

    /// <summary>How long a script may run when no timeout is given.</summary>
    public static TimeSpan DefaultTimeout { get; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Runs <c>node tests/peers/<paramref name="script"/> args...</c>, writes <paramref name="stdin"/>
    /// (UTF-8, then closes it) and returns everything the script wrote to stdout.
    /// </summary>
    /// <exception cref="NodePeerException">The script exited non-zero or timed out; the message holds its stderr.</exception>
    public static async Task<string> RunAsync(
        string script,
        IEnumerable<string>? arguments = null,
        string? stdin = null,
        TimeSpan? timeout = null,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(script);
        string peersDir = RepoPaths.PeersDir;
        string scriptPath = Path.Combine(peersDir, script);
        if (!File.Exists(scriptPath))
        {
            throw new FileNotFoundException($"peer script not found: {scriptPath}", scriptPath);
        }

        NodeModules.Require(peersDir, InstallCommand);

        var utf8 = new UTF8Encoding(false);
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = peersDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
        };
        psi.ArgumentList.Add(scriptPath);
        foreach (string arg in arguments ?? [])
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"could not start node for {script} (is Node installed and on PATH?): {ex.Message}", ex);
        }

        TimeSpan limit = timeout ?? DefaultTimeout;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(limit);
        try
        {
            // Write, read stdout and read stderr at once: a script answering as it reads would
            // otherwise block on a full pipe while we are still writing.
            Task<string> stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
            Task<string> stderr = process.StandardError.ReadToEndAsync(cts.Token);
            Task write = WriteStdinAsync(process, stdin, cts.Token);
            await Task.WhenAll(write, stdout, stderr).ConfigureAwait(false);
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);

            if (process.ExitCode != 0)
            {
                string tail = Tail(stderr.Result);
                throw new NodePeerException(
                    $"peer script {script} exited with code {process.ExitCode}; stderr:{Environment.NewLine}{tail}",
                    process.ExitCode,
                    tail);
            }

            return stdout.Result;
        }
        catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new NodePeerException($"peer script {script} did not finish within {limit.TotalSeconds:0} s", null, string.Empty, ex);
        }
        finally
        {
            if (!process.HasExited)
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // It exited between the check and the kill.
                }
            }
        }
    }

    /// <summary>Runs a script and returns its non-empty stdout lines.</summary>
    public static async Task<IReadOnlyList<string>> RunLinesAsync(
        string script,
        IEnumerable<string>? arguments = null,
        IEnumerable<string>? stdinLines = null,
        TimeSpan? timeout = null,
        CancellationToken ct = default)
    {
        string? stdin = stdinLines is null ? null : string.Join('\n', stdinLines) + "\n";
        string stdout = await RunAsync(script, arguments, stdin, timeout, ct).ConfigureAwait(false);
        return stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static async Task WriteStdinAsync(Process process, string? stdin, CancellationToken ct)
    {
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), ct).ConfigureAwait(false);
                await process.StandardInput.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // The script stopped reading (it failed or exited early); its exit code and stderr tell why.
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Tail(string text) =>
        text.Length <= StderrTailChars ? text : "..." + text[^StderrTailChars..];
}
