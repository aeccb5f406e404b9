using Microsoft.Extensions.Options;
using SovereignTrajectories.Worker.Intake;

namespace SovereignTrajectories.Worker.Tests.Intake;

public sealed class IntakeOptionsValidatorTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        Assert.True(new IntakeOptionsValidator().Validate(null, new IntakeOptions()).Succeeded);
    }

    [Fact]
    public void Each_bad_setting_is_named_by_its_configuration_path()
    {
        var options = new IntakeOptions();
        options.Http.Url = "ftp://127.0.0.1:4318/traces";
        options.Spool.QuietPeriod = TimeSpan.FromSeconds(-1);
        options.Spool.MaxAttempts = 0;
        options.Spool.MaxConcurrentFiles = 0;
        options.Live.IdleTimeout = TimeSpan.Zero;
        options.Live.Directories = ["live", " "];
        options.Otlp.MaxOpenTraces = 0;
        options.Otlp.JournalDirectory = "";

        ValidateOptionsResult result = new IntakeOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        string[] failures = result.Failures!.ToArray();
        Assert.Contains(failures, f => f.StartsWith("SovereignTrajectories:Intake:Http:Url must be an http URL", StringComparison.Ordinal) && f.Contains("ftp://127.0.0.1:4318/traces", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SovereignTrajectories:Intake:Spool:QuietPeriod must not be negative", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SovereignTrajectories:Intake:Spool:MaxAttempts must be at least 1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SovereignTrajectories:Intake:Spool:MaxConcurrentFiles must be at least 1, got 0", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SovereignTrajectories:Intake:Live:IdleTimeout must be a positive time span", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SovereignTrajectories:Intake:Live:Directories:1 must name a directory", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SovereignTrajectories:Intake:Otlp:MaxOpenTraces must be at least 1", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("SovereignTrajectories:Intake:Otlp:JournalDirectory must name a directory", StringComparison.Ordinal));
        Assert.Equal(8, failures.Length);
    }

    [Fact]
    public void Disabled_parts_are_not_checked()
    {
        var options = new IntakeOptions();
        options.Http.Enabled = false;
        options.Http.Url = "not a url";

        Assert.True(new IntakeOptionsValidator().Validate(null, options).Succeeded);
    }
}
