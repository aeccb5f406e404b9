using Microsoft.Extensions.Options;
using SovereignTrajectories.Nostr.Keys;
using SovereignTrajectories.Relays.Configuration;

namespace SovereignTrajectories.Worker.Configuration;

/// <summary>
/// Checks the whole configuration at start (ValidateOnStart), so a bad setting stops the host before
/// anything is read or sent. Every failure names the setting by its configuration path.
/// </summary>
public sealed class SovereignTrajectoriesOptionsValidator : IValidateOptions<SovereignTrajectoriesOptions>
{
    private const string P = SovereignTrajectoriesOptions.SectionName + ":";

    public ValidateOptionsResult Validate(string? name, SovereignTrajectoriesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{P}DataDirectory must name a directory");
        }

        CheckKey(options.Key, errors);
        CheckRelays(options, errors);
        CheckDelivery(options.Delivery, errors);
        CheckMapping(options.Mapping, errors);
        if (options.Receipt.AmountMsat is < 0)
        {
            errors.Add($"{P}Receipt:AmountMsat must not be negative, got {options.Receipt.AmountMsat}");
        }

        if (options.Receipt.Bolt11 is { Length: > 0 } && options.Receipt.AmountMsat is null)
        {
            errors.Add($"{P}Receipt:Bolt11 is set but {P}Receipt:AmountMsat is not: an invoice needs the amount it is for");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckKey(KeyOptions key, List<string> errors)
    {
        try
        {
            // Loading is the only reliable check (existence, mode, format); the key is dropped at once.
            using SecretKey loaded = SigningKeyProvider.Load(key);
        }
        catch (KeyLoadException ex)
        {
            string setting = string.IsNullOrEmpty(key.File) ? $"{P}Key:EnvironmentVariable" : $"{P}Key:File";
            errors.Add($"{setting}: {ex.Message}");
        }
    }

    private static void CheckRelays(SovereignTrajectoriesOptions options, List<string> errors)
    {
        try
        {
            RelayOptionsResolver.Resolve(options);
        }
        catch (RelayConfigurationException ex)
        {
            string setting = options.Relays.Count > 0 ? $"{P}Relays" : $"{P}RelaysFile";
            errors.Add($"{setting}: {ex.Message}");
        }
    }

    private static void CheckDelivery(DeliveryOptions d, List<string> errors)
    {
        const string at = P + "Delivery:";
        if (d.BaseRetryDelay <= TimeSpan.Zero)
        {
            errors.Add($"{at}BaseRetryDelay must be positive, got {d.BaseRetryDelay}");
        }

        if (d.MaxRetryDelay < d.BaseRetryDelay)
        {
            errors.Add($"{at}MaxRetryDelay ({d.MaxRetryDelay}) must not be below {at}BaseRetryDelay ({d.BaseRetryDelay})");
        }

        if (double.IsNaN(d.Jitter) || d.Jitter is < 0 or > 1)
        {
            errors.Add($"{at}Jitter must be between 0 and 1, got {d.Jitter}");
        }

        if (d.RateLimitCooldown < TimeSpan.Zero)
        {
            errors.Add($"{at}RateLimitCooldown must not be negative, got {d.RateLimitCooldown}");
        }

        if (d.MaxAttempts < 0)
        {
            errors.Add($"{at}MaxAttempts must be 0 (retry forever) or more, got {d.MaxAttempts}");
        }

        if (d.MaxInFlightPerRelay is < 1 or > 10_000)
        {
            errors.Add($"{at}MaxInFlightPerRelay must be between 1 and 10000, got {d.MaxInFlightPerRelay}");
        }

        if (d.ShutdownGrace < TimeSpan.Zero)
        {
            errors.Add($"{at}ShutdownGrace must not be negative, got {d.ShutdownGrace}");
        }
    }

    private static void CheckMapping(MappingOptions m, List<string> errors)
    {
        const string at = P + "Mapping:";
        if (m.MaxEventBytes < 2048)
        {
            errors.Add($"{at}MaxEventBytes must be at least 2048, got {m.MaxEventBytes}");
        }

        if (m.CheckpointEvery < 0)
        {
            errors.Add($"{at}CheckpointEvery must not be negative, got {m.CheckpointEvery}");
        }

        if (!string.IsNullOrEmpty(m.RelayHint))
        {
            try
            {
                RelayUrl.Parse(m.RelayHint);
            }
            catch (FormatException ex)
            {
                errors.Add($"{at}RelayHint: {ex.Message}");
            }
        }
    }
}
