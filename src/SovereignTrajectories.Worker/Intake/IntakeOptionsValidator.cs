using Microsoft.Extensions.Options;

namespace SovereignTrajectories.Worker.Intake;

/// <summary>Checks the intake settings at start; each failure names the setting by its configuration path.</summary>
public sealed class IntakeOptionsValidator : IValidateOptions<IntakeOptions>
{
    private const string P = IntakeOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, IntakeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Spool.Enabled)
        {
            Dir(options.Spool.Directory, "Spool:Directory", errors);
            NotNegative(options.Spool.QuietPeriod, "Spool:QuietPeriod", errors);
            Positive(options.Spool.RescanInterval, "Spool:RescanInterval", errors);
            if (options.Spool.MaxAttempts < 1)
            {
                errors.Add($"{P}Spool:MaxAttempts must be at least 1, got {options.Spool.MaxAttempts}");
            }

            if (options.Spool.MaxConcurrentFiles < 1)
            {
                errors.Add($"{P}Spool:MaxConcurrentFiles must be at least 1, got {options.Spool.MaxConcurrentFiles}");
            }
        }

        if (options.Live.Enabled)
        {
            for (int i = 0; i < options.Live.Directories.Count; i++)
            {
                Dir(options.Live.Directories[i], $"Live:Directories:{i}", errors);
            }

            if (string.IsNullOrWhiteSpace(options.Live.Pattern))
            {
                errors.Add($"{P}Live:Pattern must be a file name pattern such as *.jsonl");
            }

            NotNegative(options.Live.BatchDelay, "Live:BatchDelay", errors);
            Positive(options.Live.RescanInterval, "Live:RescanInterval", errors);
            Positive(options.Live.IdleTimeout, "Live:IdleTimeout", errors);
        }

        if (options.Http.Enabled)
        {
            if (!Uri.TryCreate(options.Http.Url, UriKind.Absolute, out Uri? url) || url.Scheme != Uri.UriSchemeHttp || url.AbsolutePath != "/")
            {
                errors.Add($"{P}Http:Url must be an http URL with host and port and no path (e.g. http://127.0.0.1:4318), got '{options.Http.Url}'");
            }

            if (options.Http.MaxBodyBytes < 1024)
            {
                errors.Add($"{P}Http:MaxBodyBytes must be at least 1024, got {options.Http.MaxBodyBytes}");
            }

            Dir(options.Otlp.JournalDirectory, "Otlp:JournalDirectory", errors);
            Positive(options.Otlp.TraceIdleTimeout, "Otlp:TraceIdleTimeout", errors);
            Positive(options.Otlp.SweepInterval, "Otlp:SweepInterval", errors);
            NotNegative(options.Otlp.RootGracePeriod, "Otlp:RootGracePeriod", errors);
            if (options.Otlp.MaxOpenTraces < 1)
            {
                errors.Add($"{P}Otlp:MaxOpenTraces must be at least 1, got {options.Otlp.MaxOpenTraces}");
            }
        }

        if (options.Feedback.Enabled)
        {
            Dir(options.Feedback.Directory, "Feedback:Directory", errors);
            NotNegative(options.Feedback.QuietPeriod, "Feedback:QuietPeriod", errors);
            Positive(options.Feedback.RescanInterval, "Feedback:RescanInterval", errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Dir(string? value, string setting, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value) || value.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"{P}{setting} must name a directory, got '{value}'");
        }
    }

    private static void Positive(TimeSpan value, string setting, List<string> errors)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{P}{setting} must be a positive time span (e.g. 00:00:05), got {value}");
        }
    }

    private static void NotNegative(TimeSpan value, string setting, List<string> errors)
    {
        if (value < TimeSpan.Zero)
        {
            errors.Add($"{P}{setting} must not be negative, got {value}");
        }
    }
}
