using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SovereignTrajectories.Nostr.Events;

namespace SovereignTrajectories.Trajectories.Json;

/// <summary>
/// Writes compact JSON deterministically: keys in exactly the order the caller writes them, no
/// whitespace, strings escaped as NIP-01 does (so a content string written here serialises the
/// same way in every Nostr implementation). Numbers use the shortest round-trip form.
/// Reusable: <see cref="Reset"/> clears it.
/// </summary>
public sealed class CompactJsonWriter
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private bool _needsComma;

    public CompactJsonWriter(int initialCapacity = 512) => _buffer = new ArrayBufferWriter<byte>(initialCapacity);

    /// <summary>The UTF-8 bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public int WrittenCount => _buffer.WrittenCount;

    public void Reset()
    {
        _buffer.ResetWrittenCount();
        _needsComma = false;
    }

    /// <summary>The JSON written so far, as a string.</summary>
    public string ToJsonString() => Encoding.UTF8.GetString(_buffer.WrittenSpan);

    public void StartObject()
    {
        Separate();
        WriteByte((byte)'{');
        _needsComma = false;
    }

    public void EndObject()
    {
        WriteByte((byte)'}');
        _needsComma = true;
    }

    public void StartArray()
    {
        Separate();
        WriteByte((byte)'[');
        _needsComma = false;
    }

    public void EndArray()
    {
        WriteByte((byte)']');
        _needsComma = true;
    }

    /// <summary>Writes <c>"name":</c>; the next value belongs to it.</summary>
    public void Name(string name)
    {
        Separate();
        CanonicalJson.WriteString(_buffer, name, name);
        WriteByte((byte)':');
        _needsComma = false;
    }

    public void StringValue(string value, string field = "value")
    {
        ArgumentNullException.ThrowIfNull(value);
        Separate();
        CanonicalJson.WriteString(_buffer, value, field);
        _needsComma = true;
    }

    public void NumberValue(long value)
    {
        Separate();
        Span<byte> span = _buffer.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        _buffer.Advance(written);
        _needsComma = true;
    }

    /// <summary>Shortest round-trip form; NaN and infinities have no JSON form and are rejected.</summary>
    public void NumberValue(double value, string field = "value")
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"{field}: {value} has no JSON form", nameof(value));
        }

        RawAscii(value.ToString("R", CultureInfo.InvariantCulture));
    }

    public void NumberValue(decimal value) => RawAscii(value.ToString(CultureInfo.InvariantCulture));

    public void BoolValue(bool value) => RawAscii(value ? "true" : "false");

    public void NullValue() => RawAscii("null");

    /// <summary>
    /// Writes a JSON value given as text, re-emitted compact with NIP-01 escaping and its
    /// original key order. Throws <see cref="FormatException"/> naming <paramref name="field"/>
    /// when the text is not one JSON value.
    /// </summary>
    public void RawJsonValue(string json, string field = "value")
    {
        ArgumentNullException.ThrowIfNull(json);
        Separate();
        CompactJson.Write(_buffer, Encoding.UTF8.GetBytes(json), field, sortKeys: false);
        _needsComma = true;
    }

    /// <summary>Like <see cref="RawJsonValue"/> but with object keys sorted (ordinal), recursively.</summary>
    public void SortedJsonValue(string json, string field = "value")
    {
        ArgumentNullException.ThrowIfNull(json);
        Separate();
        CompactJson.Write(_buffer, Encoding.UTF8.GetBytes(json), field, sortKeys: true);
        _needsComma = true;
    }

    public void String(string name, string value)
    {
        Name(name);
        StringValue(value, name);
    }

    public void Number(string name, long value)
    {
        Name(name);
        NumberValue(value);
    }

    public void Number(string name, double value)
    {
        Name(name);
        NumberValue(value, name);
    }

    public void Number(string name, decimal value)
    {
        Name(name);
        NumberValue(value);
    }

    public void Bool(string name, bool value)
    {
        Name(name);
        BoolValue(value);
    }

    public void RawJson(string name, string json)
    {
        Name(name);
        RawJsonValue(json, name);
    }

    public void StringIfNotNull(string name, string? value)
    {
        if (value is not null)
        {
            String(name, value);
        }
    }

    public void NumberIfNotNull(string name, long? value)
    {
        if (value is not null)
        {
            Number(name, value.Value);
        }
    }

    public void NumberIfNotNull(string name, double? value)
    {
        if (value is not null)
        {
            Number(name, value.Value);
        }
    }

    private void RawAscii(string ascii)
    {
        Separate();
        Span<byte> span = _buffer.GetSpan(ascii.Length);
        for (int i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }

        _buffer.Advance(ascii.Length);
        _needsComma = true;
    }

    private void Separate()
    {
        if (_needsComma)
        {
            WriteByte((byte)',');
            _needsComma = false;
        }
    }

    private void WriteByte(byte b)
    {
        _buffer.GetSpan(1)[0] = b;
        _buffer.Advance(1);
    }
}
