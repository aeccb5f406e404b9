using System.Text.Json;
using SovereignTrajectories.Trajectories.Json;
using SovereignTrajectories.Trajectories.Model;

namespace SovereignTrajectories.Trajectories.Tests.Json;

/// <summary>
/// Pins what <see cref="StepContentReader"/> did with tricky content when it was built on
/// JsonDocument (duplicates, escapes, odd numbers, nulls, wrong types, legacy forms), so that a
/// faster reader can be held to exactly the same results, errors and notes.
/// </summary>
public sealed class StepContentReaderCharacterisationTests
{
    private static readonly DateTimeOffset Ts = new(2023, 11, 14, 22, 13, 21, TimeSpan.Zero);

    [Theory]
    [InlineData("{\"type\":\"user\",\"content\":\"a\",\"content\":\"b\"}", "b")]
    [InlineData("{\"type\":\"user\",\"content\":5,\"content\":\"b\"}", "b")]
    [InlineData("{\"type\":\"user\",\"content\":null,\"content\":\"b\"}", "b")]
    [InlineData("{\"type\":\"agent\",\"type\":\"user\",\"content\":\"b\"}", "b")]
    [InlineData("{\"type\":\"user\",\"\\u0063ontent\":\"b\"}", "b")]
    [InlineData("{\"\\u0074\\u0079\\u0070\\u0065\":\"user\",\"content\":\"a\",\"cont\\u0065nt\":\"b\"}", "b")]
    [InlineData("{\"type\":\"user\",\"content\":\"b\",\"Content\":\"no\",\"contents\":\"no\",\"conten\":\"no\",\"é\":1}", "b")]
    [InlineData("{\"content\":\"b\",\"type\":\"user\"}", "b")]
    [InlineData("  {\r\n \"type\" : \"user\" ,\t\"content\" : \"b\" }  \n", "b")]
    public void The_last_of_duplicate_or_escaped_field_names_wins(string content, string expected)
    {
        (Step step, List<TrajectoryNote> notes) = Read(content);
        Assert.Equal(new UserStep(expected), step);
        Assert.Empty(notes);
    }

    [Fact]
    public void A_duplicate_whose_last_value_has_the_wrong_type_fails_even_if_an_earlier_one_is_right()
    {
        AssertFails("{\"type\":\"user\",\"content\":\"a\",\"content\":5}", "content.content", "must be a string, found Number");
        AssertFails("{\"type\":\"user\",\"content\":\"a\",\"content\":null}", "content.content", "missing");
    }

    [Theory]
    [InlineData("\"\\ud83d\\ude00 \\u00e9 \\n \\/ \\\" \\\\ \\b\\f\\r\\t\"", "\U0001F600 \u00e9 \n / \" \\ \b\f\r\t")]
    [InlineData("\"x\\u0000\\u001f\\u001F\"", "x\u0000\u001f\u001f")]
    [InlineData("\"é😀\u2028\u007f<>&'\"", "é😀\u2028\u007f<>&'")]
    [InlineData("\"\"", "")]
    public void String_values_are_unescaped(string jsonString, string expected)
    {
        (Step step, _) = Read("{\"type\":\"user\",\"content\":" + jsonString + "}");
        Assert.Equal(new UserStep(expected), step);
    }

    [Fact]
    public void A_lone_surrogate_escape_fails_only_in_a_field_that_is_read()
    {
        Assert.Equal(new UserStep("x"), Read("{\"type\":\"user\",\"content\":\"x\",\"model\":\"\\ud800\"}").Step);
        Assert.Equal(new UserStep("x"), Read("{\"type\":\"user\",\"content\":\"\\ud800\",\"content\":\"x\"}").Step);
        var ex = Assert.Throws<InvalidOperationException>(() => Read("{\"type\":\"agent\",\"content\":\"x\",\"model\":\"\\ud800\"}"));
        Assert.Contains("UTF-16", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<InvalidOperationException>(() => Read("{\"type\":\"user\",\"content\":\"\\udc00\"}"));
        Assert.Contains("0xDC00", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"c\\ud800\":1}")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"contentX\\ud800\":1}")]
    [InlineData("{\"type\":\"todos\",\"items\":[{\"content\":\"x\",\"x\\ud800\":1}]}")]
    [InlineData("{\"\\ud800\":1,\"con\\ud800tent\":1,\"type\":\"user\",\"content\":\"x\",\"ts\":null,\"confidence\":null,\"signature\":null}")]
    public void A_field_name_with_a_lone_surrogate_escape_is_harmless_where_the_lookup_never_unescapes_it(string content)
    {
        Step step = Read(content).Step;
        Assert.True(step is UserStep { Content: "x" } or TodosStep { Items.Count: 1 });
    }

    [Theory]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"con\\ud800tent\":1}")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"\\ud800\":1}")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"ty\\udc00\":1}")]
    [InlineData("{\"type\":\"todos\",\"items\":[{\"content\":\"x\",\"cont\\ud800\":1}]}")]
    [InlineData("{\"type\":\"todos\",\"items\":[{\"content\":\"x\",\"stat\\ud800\":1}]}")]
    [InlineData("{\"type\":\"user\",\"con\\ud800tent\":1,\"content\":\"x\"}")]
    [InlineData("{\"\\ud800\":1,\"type\":\"user\",\"content\":\"x\"}")]
    public void A_field_name_with_a_lone_surrogate_escape_after_the_field_looked_up_can_fail_the_lookup(string content)
    {
        // JsonDocument looks a name up from the last member backwards and unescapes a candidate
        // whose text before its first escape matches; fields that are absent (ts, confidence)
        // walk every member.
        var ex = Assert.Throws<InvalidOperationException>(() => Read(content));
        Assert.Contains("UTF-16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lone_surrogate_in_the_content_string_itself_is_an_argument_exception()
    {
        var ex = Assert.Throws<ArgumentException>(() => Read("{\"type\":\"user\",\"content\":\"\uD800\"}"));
        Assert.IsType<ArgumentException>(ex);
        Assert.Contains("UTF-16", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Read("{\"type\":\"user\",\"content\":\"x\"}\uDC00"));
    }

    [Theory]
    [InlineData("{ \"b\" : [1, 2.50, \"\\u00e9\\/\"] , \"a\":null }", "{\"b\":[1,2.50,\"é/\"],\"a\":null}")]
    [InlineData("\"\\u00e9\\u2028\\u0001\\u001F\\\"\"", "\"é\u2028\\u0001\\u001f\\\"\"")]
    [InlineData("{\"\\u0041\":{},\"b\":[],\"c\":[{}],\"A\":true}", "{\"A\":{},\"b\":[],\"c\":[{}],\"A\":true}")]
    [InlineData("null", "null")]
    [InlineData("1e400", "1e400")]
    [InlineData("-0.0E+00", "-0.0E+00")]
    [InlineData("12345678901234567890123", "12345678901234567890123")]
    [InlineData("false", "false")]
    [InlineData("\"😀\"", "\"😀\"")]
    public void Json_valued_fields_are_the_raw_value_normalised(string raw, string expected)
    {
        ToolStep tool = Assert.IsType<ToolStep>(Read("{\"type\":\"tool\",\"name\":\"n\",\"input\":" + raw + "}").Step);
        Assert.Equal(expected, tool.InputJson);
        ToolStartStep start = Assert.IsType<ToolStartStep>(Read("{\"input\":" + raw + ",\"type\":\"tool_start\"}").Step);
        Assert.Equal(expected, start.InputJson);
    }

    [Fact]
    public void A_missing_json_field_is_null_but_a_json_null_is_the_text_null()
    {
        Assert.Equal("null", Assert.IsType<ToolStep>(Read("{\"type\":\"tool\",\"name\":\"n\"}").Step).InputJson);
        Assert.Null(Assert.IsType<ToolStartStep>(Read("{\"type\":\"tool_start\"}").Step).InputJson);
        Assert.Equal("null", Assert.IsType<ToolStartStep>(Read("{\"type\":\"tool_start\",\"input\":null}").Step).InputJson);
        Assert.Equal("{\"a\":1}", Assert.IsType<ToolStartStep>(Read("{\"type\":\"ToolUse\",\"params\":{\"a\": 1}}").Step).InputJson);
        Assert.Equal("null", Assert.IsType<ToolStartStep>(Read("{\"type\":\"ToolUse\",\"input\":null,\"params\":{\"a\": 1}}").Step).InputJson);
    }

    [Fact]
    public void A_lone_surrogate_escape_inside_a_json_field_is_a_format_exception_naming_the_field()
    {
        var ex = Assert.Throws<FormatException>(() => Read("{\"type\":\"tool\",\"name\":\"n\",\"input\":{\"\\ud800\":1}}"));
        Assert.IsType<FormatException>(ex);
        Assert.StartsWith("content.input: JSON string is not valid UTF-16 (", ex.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public void Numbers_are_read_as_before()
    {
        AgentStep a = Assert.IsType<AgentStep>(Read("{\"type\":\"agent\",\"content\":\"x\",\"cost_usd\":1e2,\"tokens_in\":-0}").Step);
        Assert.Equal(new Usage(0, 0, 0, 100m), a.Usage);
        a = Assert.IsType<AgentStep>(Read("{\"type\":\"agent\",\"content\":\"x\",\"cost_usd\":1E-2,\"tokens_out\":9223372036854775807}").Step);
        Assert.Equal(new Usage(0, long.MaxValue, 0, 0.01m), a.Usage);
        a = Assert.IsType<AgentStep>(Read("{\"type\":\"agent\",\"content\":\"x\",\"cost_usd\":null,\"tokens_in\":null}").Step);
        Assert.Null(a.Usage);
        Assert.Equal(double.PositiveInfinity, Read("{\"type\":\"user\",\"content\":\"x\",\"confidence\":1e400}").Step.Confidence);
        Assert.Equal(double.NegativeInfinity, Read("{\"type\":\"user\",\"content\":\"x\",\"confidence\":-1e400}").Step.Confidence);
        Assert.Equal(0.0, Read("{\"type\":\"user\",\"content\":\"x\",\"confidence\":1e-400}").Step.Confidence);
        Assert.True(double.IsNegative(Read("{\"type\":\"user\",\"content\":\"x\",\"confidence\":-0}").Step.Confidence!.Value));
        Assert.Equal(1.0, Read("{\"type\":\"user\",\"content\":\"x\",\"confidence\":0.1e1}").Step.Confidence);
        VerificationStep v = Assert.IsType<VerificationStep>(
            Read("{\"type\":\"verification\",\"command\":\"c\",\"kind\":\"test\",\"exit_code\":-2147483648,\"passed\":2147483647,\"duration_ms\":-1}").Step);
        Assert.Equal(int.MinValue, v.ExitCode);
        Assert.Equal(int.MaxValue, v.Passed);
        Assert.Equal(-1, v.DurationMs);
        Assert.Equal(long.MinValue, Assert.IsType<SessionEndStep>(Read("{\"type\":\"session_end\",\"tokens_total\":-9223372036854775808}").Step).TokensTotal);
        RewardStep r = Assert.IsType<RewardStep>(Read("{\"type\":\"reward\",\"signal\":\"score\",\"value\":-1E0}").Step);
        Assert.Equal(-1.0, r.Value);
        Assert.Equal(RewardSource.Explicit, r.Source);
    }

    [Theory]
    [InlineData("{\"type\":\"agent\",\"content\":\"x\",\"tokens_in\":12345678901234567890}", "content.tokens_in", "must be an integer, found Number")]
    [InlineData("{\"type\":\"agent\",\"content\":\"x\",\"tokens_in\":1.0}", "content.tokens_in", "must be an integer, found Number")]
    [InlineData("{\"type\":\"agent\",\"content\":\"x\",\"tokens_cached\":1e2}", "content.tokens_cached", "must be an integer, found Number")]
    [InlineData("{\"type\":\"agent\",\"content\":\"x\",\"tokens_in\":\"1\"}", "content.tokens_in", "must be an integer, found String")]
    [InlineData("{\"type\":\"agent\",\"content\":\"x\",\"cost_usd\":1e400}", "content.cost_usd", "must be a number, found Number")]
    [InlineData("{\"type\":\"agent\",\"content\":\"x\",\"cost_usd\":79228162514264337593543950336}", "content.cost_usd", "must be a number, found Number")]
    [InlineData("{\"type\":\"agent\",\"content\":\"x\",\"cost_usd\":true}", "content.cost_usd", "must be a number, found True")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"confidence\":[]}", "content.confidence", "must be a number, found Array")]
    [InlineData("{\"type\":\"delegation\",\"sub_agent\":\"s\",\"max_amount\":9223372036854775808}", "content.max_amount", "must be an integer, found Number")]
    [InlineData("{\"type\":\"reward\",\"signal\":\"score\",\"value\":1e400}", "content.value", "Infinity is outside -1..1")]
    [InlineData("{\"type\":\"reward\",\"signal\":\"score\",\"value\":1.0000001}", "content.value", "1.0000001 is outside -1..1")]
    [InlineData("{\"type\":\"reward\",\"signal\":\"score\",\"value\":\"1\"}", "content.value", "must be a number, found String")]
    [InlineData("{\"type\":\"reward\",\"signal\":\"score\",\"value\":null}", "content.value", "missing")]
    [InlineData("{\"type\":\"reward\",\"signal\":\"score\",\"value\":0,\"source\":\"x\"}", "content.source", "'x' is not explicit or implicit")]
    [InlineData("{\"type\":\"reward\",\"signal\":\"love\",\"value\":5,\"source\":\"x\"}", "content.signal", "'love' is not accept, reject, edit, regenerate, abandon or score")]
    [InlineData("{\"type\":\"reward\",\"value\":0}", "content.signal", "missing")]
    [InlineData("{\"type\":\"verification\",\"command\":\"c\",\"kind\":\"bogus\"}", "content.kind", "'bogus' is not test, build, lint or other")]
    [InlineData("{\"type\":\"verification\",\"command\":\"c\",\"kind\":\"test\"}", "content.exit_code", "missing")]
    [InlineData("{\"type\":\"verification\",\"kind\":\"test\",\"exit_code\":\"0\"}", "content.command", "missing")]
    [InlineData("{\"type\":\"verification\",\"command\":\"c\",\"kind\":\"test\",\"exit_code\":0,\"passed\":1.5}", "content.passed", "must be an integer, found Number")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"ts\":\"2023-11-14\"}", "content.ts", "'2023-11-14' is not an RFC 3339 time")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"ts\":5}", "content.ts", "must be a string, found Number")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"ts\":\"0123456789012345678901234567890123456789012345\"}", "content.ts", "'0123456789012345678901234567890123456789...' is not an RFC 3339 time")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"signature\":{}}", "content.signature", "must be a string, found Object")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"ts\":\"bad\",\"confidence\":\"bad\",\"signature\":1}", "content.ts", "'bad' is not an RFC 3339 time")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"confidence\":\"bad\",\"signature\":1}", "content.confidence", "must be a number, found String")]
    [InlineData("{\"type\":\"user\",\"content\":1,\"ts\":\"bad\"}", "content.content", "must be a string, found Number")]
    [InlineData("{\"type\":null,\"content\":\"x\"}", "content.type", "missing, and no [\"step\", type] tag")]
    [InlineData("{\"type\":5,\"content\":\"x\"}", "content.type", "must be a string, found Number")]
    [InlineData("{\"type\":false}", "content.type", "must be a string, found False")]
    [InlineData("{}", "content.type", "missing, and no [\"step\", type] tag")]
    [InlineData("{\"type\":\"todos\",\"items\":[{\"content\":\"a\",\"content\":\"c\"},{\"status\":\"s\"}]}", "content.items[1].content", "missing")]
    [InlineData("{\"type\":\"todos\",\"items\":[{\"content\":5}]}", "content.content", "must be a string, found Number")]
    [InlineData("{\"type\":\"todos\",\"items\":[{\"content\":\"a\",\"status\":[]}]}", "content.status", "must be a string, found Array")]
    [InlineData("{\"type\":\"todos\",\"items\":[{\"content\":\"a\"},1]}", "content.items[1]", "must be an object, found Number")]
    [InlineData("{\"type\":\"todos\",\"items\":[{\"content\":\"a\"},{\"content\":5},1]}", "content.content", "must be a string, found Number")]
    [InlineData("{\"type\":\"todos\",\"items\":null}", "content.items", "missing or not an array")]
    [InlineData("{\"type\":\"todos\",\"items\":{}}", "content.items", "missing or not an array")]
    [InlineData("{\"type\":\"todos\"}", "content.items", "missing or not an array")]
    [InlineData("{\"type\":\"question\",\"content\":\"q\",\"options\":[\"a\",null]}", "content.options[1]", "must be a string, found Null")]
    [InlineData("{\"type\":\"question\",\"content\":\"q\",\"options\":[\"a\",[\"b\"]]}", "content.options[1]", "must be a string, found Array")]
    [InlineData("{\"type\":\"question\",\"content\":\"q\",\"options\":\"a\"}", "content.options", "must be an array of strings, found String")]
    [InlineData("{\"type\":\"question\",\"options\":[1]}", "content.content", "missing")]
    [InlineData("{\"type\":\"tool\",\"name\":\"n\",\"ok\":\"true\"}", "content.ok", "must be a boolean, found String")]
    [InlineData("{\"type\":\"tool\",\"output\":\"o\",\"input\":{\"a\":1}}", "content.name", "missing")]
    [InlineData("{\"type\":\"tool\",\"name\":\"n\",\"output\":1}", "content.output", "must be a string, found Number")]
    [InlineData("{\"type\":\"tool\",\"name\":\"n\",\"truncated\":0}", "content.truncated", "must be a boolean, found Number")]
    [InlineData("{\"type\":\"tool_progress\",\"call_id\":\"c\"}", "content.progress", "missing")]
    [InlineData("{\"type\":\"phase\",\"phase\":[\"p\"]}", "content.phase", "must be a string, found Array")]
    [InlineData("{\"type\":\"subagent\",\"query\":\"q\"}", "content.name", "missing")]
    public void Bad_fields_fail_with_the_same_field_and_reason(string content, string field, string reason)
    {
        AssertFails(content, field, reason);
    }

    [Fact]
    public void Times_are_parsed_to_utc()
    {
        Assert.Equal(Ts, Read("{\"type\":\"user\",\"content\":\"x\",\"ts\":\"2023-11-15T00:13:21+02:00\"}").Step.Timestamp);
        Assert.Equal(TimeSpan.Zero, Read("{\"type\":\"user\",\"content\":\"x\",\"ts\":\"2023-11-15T00:13:21+02:00\"}").Step.Timestamp!.Value.Offset);
        Assert.Equal(Ts.AddTicks(1234568), Read("{\"type\":\"user\",\"content\":\"x\",\"ts\":\"2023-11-14T22:13:21.1234567891Z\"}").Step.Timestamp);
        Assert.Equal(Ts, Read("{\"type\":\"user\",\"content\":\"x\",\"ts\":\"2023-11-14T22:13:21\"}").Step.Timestamp);
        Assert.Equal(Ts, Read("{\"type\":\"user\",\"content\":\"x\",\"ts\":\"\\u0032023-11-14T22:13:21Z\"}").Step.Timestamp);
        Assert.Null(Read("{\"type\":\"user\",\"content\":\"x\",\"ts\":null}").Step.Timestamp);
    }

    [Fact]
    public void Every_field_of_every_type_is_read()
    {
        Assert.Equal(
            new AgentStep("c") { Model = "m", Usage = new Usage(1, 2, 3, 0.5m), Timestamp = Ts, Confidence = 0.25, Signature = "S" },
            Read("{\"signature\":\"S\",\"confidence\":0.25,\"ts\":\"2023-11-14T22:13:21Z\",\"type\":\"agent\",\"content\":\"c\",\"model\":\"m\",\"tokens_in\":1,\"tokens_out\":2,\"tokens_cached\":3,\"cost_usd\":0.5}").Step);
        Assert.Equal(new AgentStep("c") { Usage = new Usage(0, 0, 0, 0m) }, Read("{\"type\":\"agent\",\"content\":\"c\",\"cost_usd\":0}").Step);
        Assert.Equal(new ThinkingStep("t") { Hash = "h", Sig = "s" }, Read("{\"type\":\"thinking\",\"content\":\"t\",\"hash\":\"h\",\"sig\":\"s\"}").Step);
        Assert.Equal(
            new ToolStartStep("n", "c") { Command = "ls", InputJson = "[1]" },
            Read("{\"type\":\"tool_start\",\"name\":\"n\",\"call_id\":\"c\",\"command\":\"ls\",\"input\":[ 1 ]}").Step);
        Assert.Equal(new ToolStartStep(string.Empty, string.Empty), Read("{\"type\":\"tool_start\",\"name\":null}").Step);
        Assert.Equal(new ToolProgressStep(string.Empty, "p"), Read("{\"type\":\"tool_progress\",\"progress\":\"p\"}").Step);
        Assert.Equal(new ObservationStep("c", "ok") { Content = "x" }, Read("{\"type\":\"observation\",\"call_id\":\"c\",\"status\":\"ok\",\"content\":\"x\"}").Step);
        Assert.Equal(new ObservationStep(string.Empty, string.Empty), Read("{\"type\":\"observation\"}").Step);
        Assert.Equal(new SubagentStep("n") { Query = "q", Result = "r" }, Read("{\"type\":\"subagent\",\"name\":\"n\",\"query\":\"q\",\"result\":\"r\"}").Step);
        Assert.Equal(new DelegationStep("s") { Scope = "x", MaxAmount = 5 }, Read("{\"type\":\"delegation\",\"sub_agent\":\"s\",\"scope\":\"x\",\"max_amount\":5}").Step);
        Assert.Equal(new QuestionStep("q") { Options = ["a", "é"] }, Read("{\"type\":\"question\",\"content\":\"q\",\"options\":[\"a\",\"\\u00e9\"]}").Step);
        Assert.Equal(new QuestionStep("q"), Read("{\"type\":\"question\",\"content\":\"q\",\"options\":null}").Step);
        Assert.Equal(new QuestionStep("q"), Read("{\"type\":\"question\",\"content\":\"q\",\"options\":[]}").Step);
        Assert.Equal(
            new TodosStep([new TodoItem("a", "pending"), new TodoItem("b", "done"), new TodoItem("d", "pending")]),
            Read("{\"type\":\"todos\",\"items\":[{\"content\":\"a\"},{\"status\":\"x\",\"content\":\"b\",\"status\":\"done\",\"other\":[1]},{\"content\":\"c\",\"content\":\"d\",\"status\":null}]}").Step);
        Assert.Equal(new TodosStep([]), Read("{\"type\":\"todos\",\"items\":[]}").Step);
        Assert.Equal(new PhaseStep("p"), Read("{\"type\":\"phase\",\"phase\":\"p\"}").Step);
        Assert.Equal(
            new SessionEndStep { Summary = "s", Status = "ok", TokensTotal = 9 },
            Read("{\"type\":\"session_end\",\"summary\":\"s\",\"status\":\"ok\",\"tokens_total\":9}").Step);
        Assert.Equal(
            new VerificationStep("c", VerificationKind.Lint, 1) { Passed = 2, Failed = 3, Skipped = 4, DurationMs = 5, OutputSha256 = "o", StatementSha256 = "s" },
            Read("{\"type\":\"verification\",\"command\":\"c\",\"kind\":\"lint\",\"exit_code\":1,\"passed\":2,\"failed\":3,\"skipped\":4,\"duration_ms\":5,\"output_sha256\":\"o\",\"statement_sha256\":\"s\"}").Step);
        Assert.Equal(
            new RewardStep(RewardSignal.Abandon, 0.5, RewardSource.Implicit) { Comment = "c" },
            Read("{\"type\":\"reward\",\"signal\":\"abandon\",\"value\":0.5,\"source\":\"implicit\",\"comment\":\"c\"}").Step);
    }

    [Fact]
    public void Tool_output_hash_is_dropped_when_it_hashes_the_output_and_reported_when_it_does_not()
    {
        const string AbcSha = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
        (Step step, List<TrajectoryNote> notes) = Read("{\"type\":\"tool\",\"name\":\"n\",\"output\":\"abc\",\"output_sha256\":\"" + AbcSha + "\"}");
        Assert.Equal(new ToolStep("n", string.Empty, "null", "abc", true), step);
        Assert.Empty(notes);

        (step, notes) = Read("{\"type\":\"tool\",\"name\":\"n\",\"output\":\"abc\",\"output_sha256\":\"00\",\"ok\":false,\"latency_ms\":3}");
        Assert.Equal(new ToolStep("n", string.Empty, "null", "abc", false) { OutputSha256 = "00", LatencyMs = 3 }, step);
        TrajectoryNote note = Assert.Single(notes);
        Assert.Equal(new TrajectoryNote("output-hash-mismatch", "output_sha256 does not hash the output, which is not marked truncated", "ev"), note);

        (step, notes) = Read("{\"type\":\"tool\",\"name\":\"n\",\"output\":\"abc\",\"output_sha256\":\"00\",\"truncated\":true}");
        Assert.Equal(new ToolStep("n", string.Empty, "null", "abc", true) { OutputSha256 = "00", OutputTruncated = true }, step);
        Assert.Empty(notes);

        (step, notes) = Read("{\"type\":\"tool\",\"name\":\"n\",\"result\":\"abc\",\"ok\":null,\"truncated\":null,\"call_id\":\"c\"}");
        Assert.Equal(new ToolStep("n", "c", "null", "abc", true), step);
        Assert.Empty(notes);

        // The hash note is added before a later field fails.
        var list = new List<TrajectoryNote>();
        Assert.Throws<TrajectoryFormatException>(() => StepContentReader.Read("{\"type\":\"tool\",\"output_sha256\":\"00\"}", null, "ev", list));
        Assert.Equal("output-hash-mismatch", Assert.Single(list).Code);
    }

    [Fact]
    public void Legacy_types_read_their_alternative_field_names_in_order()
    {
        (Step step, List<TrajectoryNote> notes) = Read("{\"type\":\"ToolUse\",\"name\":\"n\",\"tool\":\"t\",\"id\":\"i\",\"tool_use_id\":\"u\"}");
        Assert.Equal(new ToolStartStep("t", "i"), step);
        Assert.Equal([new TrajectoryNote("legacy-type", "legacy step type ToolUse read as tool_start", "ev")], notes);
        Assert.Equal(new ToolStartStep("n", "u"), Read("{\"type\":\"ToolUse\",\"name\":\"n\",\"tool_use_id\":\"u\"}").Step);

        (step, notes) = Read("{\"type\":\"ToolResult\",\"ok\":false,\"success\":null,\"output\":\"o\",\"content\":\"c\",\"id\":\"i\"}");
        Assert.Equal(new ObservationStep("i", "error") { Content = "o" }, step);
        Assert.Equal([new TrajectoryNote("legacy-type", "legacy step type ToolResult read as observation", "ev")], notes);
        Assert.Equal(new ObservationStep("u", "ok") { Content = "r" }, Read("{\"type\":\"ToolResult\",\"success\":true,\"ok\":false,\"result\":\"r\",\"tool_use_id\":\"u\",\"id\":\"i\"}").Step);
        Assert.Equal(new ObservationStep(string.Empty, "unknown"), Read("{\"type\":\"ToolResult\"}").Step);

        Assert.Equal(new UserStep("hi"), Read("{\"type\":\"Message\",\"role\":\"user\",\"text\":\"hi\"}").Step);
        Assert.Equal(new AgentStep("c"), Read("{\"type\":\"Message\",\"role\":\"system\",\"content\":\"c\",\"text\":\"t\"}").Step);
        Assert.Equal(new AgentStep(string.Empty), Read("{\"type\":\"Message\"}").Step);

        (step, notes) = Read("{\"type\":\"Thinking\",\"thinking\":\"t\",\"signature\":\"s\"}");
        Assert.Equal(new ThinkingStep("t") { Sig = "s", Signature = "s" }, step);
        Assert.Equal("legacy-type", Assert.Single(notes).Code);
        Assert.Equal(new ThinkingStep("c") { Sig = "g", Hash = "h" }, Read("{\"type\":\"Thinking\",\"content\":\"c\",\"thinking\":\"t\",\"sig\":\"g\",\"hash\":\"h\"}").Step);
    }

    [Fact]
    public void Notes_added_before_a_failure_stay_in_the_list()
    {
        var notes = new List<TrajectoryNote>();
        Assert.Throws<TrajectoryFormatException>(() => StepContentReader.Read("{\"type\":\"ToolResult\",\"success\":\"yes\"}", null, "ev", notes));
        Assert.Equal("legacy-type", Assert.Single(notes).Code);

        notes.Clear();
        Assert.Throws<TrajectoryFormatException>(() => StepContentReader.Read("{\"type\":\"future\",\"ts\":\"bad\"}", null, "ev", notes));
        Assert.Equal("unknown-type", Assert.Single(notes).Code);

        notes.Clear();
        Assert.Throws<TrajectoryFormatException>(() => StepContentReader.Read("{\"content\":5}", "user", "ev", notes));
        Assert.Equal("legacy-step-tag", Assert.Single(notes).Code);

        notes.Clear();
        Assert.Throws<TrajectoryFormatException>(() => StepContentReader.Read("{\"type\":\"ToolUse\"} x", "user", "ev", notes));
        Assert.Empty(notes);
    }

    [Fact]
    public void A_type_from_the_tag_is_used_only_when_the_content_type_is_missing_or_null()
    {
        (Step step, List<TrajectoryNote> notes) = Read("{\"type\":null,\"content\":\"x\"}", "user");
        Assert.Equal(new UserStep("x"), step);
        Assert.Equal([new TrajectoryNote("legacy-step-tag", "step type 'user' taken from a [\"step\", ...] tag", "ev")], notes);

        (step, notes) = Read("{\"type\":\"agent\",\"content\":\"x\"}", "user");
        Assert.Equal(new AgentStep("x"), step);
        Assert.Empty(notes);

        (step, notes) = Read("{\"tool\":\"t\"}", "ToolUse");
        Assert.Equal(new ToolStartStep("t", string.Empty), step);
        Assert.Equal(["legacy-step-tag", "legacy-type"], notes.Select(n => n.Code));

        AssertFails("{\"type\":1}", "content.type", "must be a string, found Number", "user");
    }

    [Theory]
    [InlineData("{\"type\":\"future\",\"x\":[1, 2]}")]
    [InlineData(" {\"type\" : \"Tool\", \"\\u0078\":\"\\u00e9\"}\n")]
    [InlineData("{\"type\":\"\",\"type\":\"USER\"}")]
    [InlineData("{\"type\":\"fut\\u0075re\"}")]
    public void An_unknown_type_keeps_the_exact_content(string content)
    {
        (Step step, List<TrajectoryNote> notes) = Read(content);
        UnknownStep unknown = Assert.IsType<UnknownStep>(step);
        Assert.Same(content, unknown.RawContent);
        Assert.Equal("unknown-type", Assert.Single(notes).Code);
        Assert.Equal($"step type '{unknown.Type}' is not in the profile; kept as is", notes[0].Message);
    }

    [Fact]
    public void An_unknown_type_still_reads_the_decision_fields()
    {
        Step step = Read("{\"type\":\"future\",\"ts\":\"2023-11-14T22:13:21Z\",\"confidence\":0.5,\"signature\":\"s\",\"content\":5}").Step;
        Assert.Equal(new UnknownStep("future", "{\"type\":\"future\",\"ts\":\"2023-11-14T22:13:21Z\",\"confidence\":0.5,\"signature\":\"s\",\"content\":5}") { Timestamp = Ts, Confidence = 0.5, Signature = "s" }, step);
    }

    [Theory]
    [InlineData("{\"type\":\"user\",\"content\":\"x\"} x", "'x' is invalid after a single JSON value")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",}", "trailing comma")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\"/*c*/}", "'/' is invalid after a value")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\"}{}", "'{' is invalid after a single JSON value")]
    [InlineData("{\"type\":5,\"content\":\"x\"", "Expected depth to be zero")]
    [InlineData("[1", "'1' is an invalid end of a number")]
    [InlineData("[1] x", "'x' is invalid after a single JSON value")]
    [InlineData("", "does not contain any JSON tokens")]
    [InlineData("   ", "does not contain any JSON tokens")]
    [InlineData("\uFEFF{\"type\":\"user\",\"content\":\"x\"}", "'0xEF' is an invalid start of a value")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\\q\"}", "'q' is an invalid escapable character")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\ny\"}", "'0x0A' is invalid within a JSON string")]
    [InlineData("{\"type\":\"user\",\"content\":01}", "Invalid leading zero")]
    [InlineData("{'type':'user'}", "''' is an invalid start of a property name")]
    [InlineData("{\"type\":\"user\",\"content\":\"x\",\"n\":NaN}", "'N' is an invalid start of a value")]
    public void Content_that_is_not_json_fails_before_any_field_is_read(string content, string fragment)
    {
        var notes = new List<TrajectoryNote>();
        var ex = Assert.Throws<TrajectoryFormatException>(() => StepContentReader.Read(content, "user", "ev", notes));
        Assert.Equal("content", ex.Field);
        Assert.StartsWith("is not JSON: ", ex.Reason, StringComparison.Ordinal);
        Assert.Contains(fragment, ex.Reason, StringComparison.Ordinal);
        Assert.Equal("ev: content: " + ex.Reason, ex.Message);
        JsonException inner = Assert.IsAssignableFrom<JsonException>(ex.InnerException);
        Assert.Equal("is not JSON: " + inner.Message, ex.Reason);
        Assert.Empty(notes);
    }

    [Theory]
    [InlineData("\"str\"", "String")]
    [InlineData("5", "Number")]
    [InlineData("null", "Null")]
    [InlineData("true", "True")]
    [InlineData(" [ {\"type\":\"user\"} ] ", "Array")]
    public void Content_that_is_not_an_object_fails_naming_what_it_is(string content, string kind)
    {
        AssertFails(content, "content", "must be a JSON object, found " + kind);
    }

    [Fact]
    public void Nesting_deeper_than_64_is_not_json()
    {
        // The root object is one level: 63 nested arrays below it still parse, 64 do not.
        string ok = "{\"type\":\"user\",\"content\":\"x\",\"deep\":" + new string('[', 63) + new string(']', 63) + "}";
        Assert.Equal(new UserStep("x"), Read(ok).Step);
        string deep = "{\"type\":\"user\",\"content\":\"x\",\"deep\":" + new string('[', 64) + new string(']', 64) + "}";
        var ex = Assert.Throws<TrajectoryFormatException>(() => Read(deep));
        Assert.Contains("maximum configured depth of 64", ex.Message, StringComparison.Ordinal);
        string input = "{\"type\":\"tool\",\"name\":\"n\",\"input\":" + new string('[', 63) + new string(']', 63) + "}";
        Assert.Equal(new string('[', 63) + new string(']', 63), Assert.IsType<ToolStep>(Read(input).Step).InputJson);
    }

    [Fact]
    public void Long_content_is_read_whole()
    {
        string output = string.Concat(Enumerable.Range(0, 5000).Select(i => $"line {i} é😀\t\"q\"\n"));
        string content = StepContentWriter.Write(new ToolStep("Bash", "c", "{\"cmd\":\"" + new string('x', 20000) + "\"}", output, true) { Timestamp = Ts });
        Assert.True(content.Length > 100_000);
        ToolStep tool = Assert.IsType<ToolStep>(Read(content).Step);
        Assert.Equal(output, tool.Output);
        Assert.Equal(Ts, tool.Timestamp);
        Assert.Equal(20_010, tool.InputJson.Length);
    }

    [Theory]
    [InlineData("exit_code", "4294967296")]
    [InlineData("exit_code", "2147483648")]
    [InlineData("exit_code", "-2147483649")]
    [InlineData("passed", "4294967297")]
    [InlineData("failed", "4294967296")]
    [InlineData("skipped", "-9223372036854775808")]
    public void Verification_counts_and_exit_codes_outside_int_are_refused_not_wrapped(string field, string value)
    {
        // Cast, exit code 4294967296 read as 0: a failed run would have been reported as passed.
        string content = "{\"type\":\"verification\",\"command\":\"c\",\"kind\":\"test\",\"exit_code\":1," + $"\"{field}\":{value}" + "}";
        var ex = Assert.Throws<TrajectoryFormatException>(() => StepContentReader.Read(content, null, "ev", new List<TrajectoryNote>()));
        Assert.Equal("content." + field, ex.Field);
        Assert.Contains($"found {value}", ex.Message, StringComparison.Ordinal);
    }

    private static (Step Step, List<TrajectoryNote> Notes) Read(string content, string? tag = null)
    {
        var notes = new List<TrajectoryNote>();
        Step step = StepContentReader.Read(content, tag, "ev", notes);
        return (step, notes);
    }

    private static void AssertFails(string content, string field, string reason, string? tag = null)
    {
        var ex = Assert.Throws<TrajectoryFormatException>(() => StepContentReader.Read(content, tag, "ev", []));
        Assert.Equal("ev", ex.Input);
        Assert.Equal(field, ex.Field);
        Assert.Equal(reason, ex.Reason);
        Assert.Equal($"ev: {field}: {reason}", ex.Message);
        Assert.Null(ex.InnerException);
    }
}
