using System.Linq;
using System.Globalization;
using GanAi.Batching;

namespace GanAi.Core.Tests;

public class RowBuilderTests
{
    private static KeyValuePair<string, object?> P(string name, object? value) => new(name, value);

    private static (VideoRow? Row, RowFailure? Failure) Build(string? idProperty, params KeyValuePair<string, object?>[] properties)
    {
        var builder = new RowBuilder(idProperty);
        builder.TryBuild(7, "source", properties, out var row, out var failure);
        return (row, failure);
    }

    [Fact]
    public void Takes_unique_id_as_the_id_and_the_other_properties_as_tags()
    {
        var (row, failure) = Build(null, P("names", "Ann"), P("unique_id", "a1"), P("company", "Contoso"));
        Assert.Null(failure);
        Assert.Equal("a1", row!.UniqueId);
        Assert.Equal(new[] { "names", "company" }, row.Tags.Select(t => t.Key));
        Assert.Equal(7, row.Number);
        Assert.Equal("source", row.Source);
    }

    [Fact]
    public void Takes_the_id_from_the_named_property_and_still_sends_it_as_a_tag()
    {
        var (row, failure) = Build("Email", P("names", "Ann"), P("email", "ann@example.com"));
        Assert.Null(failure);
        Assert.Equal("ann@example.com", row!.UniqueId);
        Assert.Contains(row.Tags, t => t.Key == "email" && t.Value == "ann@example.com");
    }

    [Fact]
    public void Skips_a_spare_unique_id_column_when_another_property_names_the_id()
    {
        var builder = new RowBuilder("Email");
        Assert.True(builder.TryBuild(1, "s", new[] { P("Email", "a@b.c"), P("unique_id", "other") }, out var row, out _));
        Assert.Equal("a@b.c", row!.UniqueId);
        Assert.DoesNotContain(row.Tags, t => t.Key == "unique_id");
        Assert.True(builder.IgnoredUniqueIdColumn);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Refuses_a_row_with_an_empty_id(string? id)
    {
        var (row, failure) = Build(null, P("names", "Ann"), P("unique_id", id ?? string.Empty));
        Assert.Null(row);
        Assert.Equal(ErrorIds.MissingUniqueId, failure!.ErrorId);
        Assert.Contains("Row 7", failure.Message);
    }

    [Fact]
    public void Says_a_blank_row_is_blank()
    {
        var (_, blank) = Build(null, P("unique_id", ""), P("names", " "), P("company", ""));
        Assert.Equal(ErrorIds.MissingUniqueId, blank!.ErrorId);
        Assert.Contains("is blank (every value is empty)", blank.Message);
        var (_, noId) = Build(null, P("unique_id", ""), P("names", "Ann"));
        Assert.Contains("has an empty 'unique_id'", noId!.Message);
    }

    [Fact]
    public void Refuses_a_row_without_an_id_and_says_how_to_give_one()
    {
        var (_, failure) = Build(null, P("names", "Ann"));
        Assert.Equal(ErrorIds.MissingUniqueId, failure!.ErrorId);
        Assert.Contains("-UniqueIdProperty", failure.Message);
    }

    [Theory]
    [InlineData(';', "';'")]
    [InlineData('\t', "\"`t\"")]
    public void Says_which_delimiter_to_give_Import_Csv_when_the_columns_came_as_one(char delimiter, string shown)
    {
        var (_, failure) = Build(null, P($"unique_id{delimiter}names{delimiter}company", $"lead-1{delimiter}Ann{delimiter}Contoso"));
        Assert.Equal(ErrorIds.MissingUniqueId, failure!.ErrorId);
        Assert.Contains("read the file with Import-Csv -Delimiter " + shown, failure.Message);
        // The run's end at row 1 names the same fix, not a column to add.
        var ended = RunEndedException.NoIdColumn(new[] { $"unique_id{delimiter}names{delimiter}company" }, "unique_id", null);
        Assert.Contains("read the file with Import-Csv -Delimiter " + shown, ended.Message);
        Assert.DoesNotContain("Add a", ended.Message);
        var (_, plain) = Build(null, P("names", "Ann;Bo")); // a ';' in a value says nothing about the file
        Assert.DoesNotContain("-Delimiter", plain!.Message);
    }

    [Fact]
    public void Refuses_an_id_longer_than_the_limit()
    {
        var (_, failure) = Build(null, P("unique_id", new string('x', RowBuilder.MaxUniqueIdLength + 1)));
        Assert.Equal(ErrorIds.UniqueIdTooLong, failure!.ErrorId);
        var (ok, _) = Build(null, P("unique_id", new string('x', RowBuilder.MaxUniqueIdLength)));
        Assert.NotNull(ok);
    }

    public static TheoryData<object, string> NotScalars => new()
    {
        { new[] { "a", "b" }, "an array" },
        { new List<int> { 1 }, "an array" },
        { new Dictionary<string, string> { ["a"] = "b" }, "a dictionary" },
        { new object(), "a nested object" },
    };

    [Theory]
    [MemberData(nameof(NotScalars))]
    public void Refuses_a_tag_value_that_is_not_one_value(object value, string described)
    {
        var (row, failure) = Build(null, P("unique_id", "a"), P("names", value));
        Assert.Null(row);
        Assert.Equal(ErrorIds.TagValueNotScalar, failure!.ErrorId);
        Assert.Contains(described, failure.Message);
        Assert.Contains("'names'", failure.Message);
        Assert.Equal(FailureCategory.InvalidType, failure.Category);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void Refuses_a_number_that_is_not_finite(object value)
    {
        var (row, failure) = Build(null, P("unique_id", "a"), P("score", value));
        Assert.Null(row);
        Assert.Equal(ErrorIds.TagValueNotRenderable, failure!.ErrorId);
        Assert.Contains("'score'", failure.Message);
        Assert.Equal(FailureCategory.InvalidData, failure.Category);
    }

    [Theory]
    [InlineData(0x00, true)]
    [InlineData(0x07, true)]
    [InlineData(0x08, true)]
    [InlineData(0x09, false)] // tab
    [InlineData(0x0A, false)] // LF
    [InlineData(0x0B, true)]
    [InlineData(0x0D, false)] // CR
    [InlineData(0x1B, true)]
    [InlineData(0x1F, true)]
    [InlineData(0x20, false)]
    [InlineData(0x7E, false)]
    [InlineData(0x7F, true)]
    [InlineData(0x80, true)]
    [InlineData(0x9F, true)]
    [InlineData(0xA0, false)]
    [InlineData(0xFEFF, false)] // a format character, not a control
    public void Refuses_control_characters_but_tab_CR_and_LF(int code, bool refused)
    {
        var text = "ab" + (char)code + "c";
        var (row, failure) = Build(null, P("unique_id", "a"), P("names", text));
        if (!refused)
        {
            Assert.Equal(text, Assert.Single(row!.Tags).Value);
            return;
        }
        Assert.Equal(ErrorIds.TagValueNotRenderable, failure!.ErrorId);
        Assert.Contains($"U+{code:X4} at position 3 of 'names'", failure.Message);
    }

    [Fact]
    public void Finds_a_lone_surrogate_after_a_pair_and_a_control_after_both()
    {
        var (_, surrogate) = Build(null, P("unique_id", "a"), P("names", "\U0001F600x\uD800"));
        Assert.Equal(ErrorIds.TagValueInvalidText, surrogate!.ErrorId);
        var (_, control) = Build(null, P("unique_id", "a"), P("names", "\U0001F600x\u0001"));
        Assert.Contains("at position 4", control!.Message);
        var (_, name) = Build(null, P("unique_id", "a"), P("na\u0000mes", "x"));
        Assert.Equal(ErrorIds.InvalidTagName, name!.ErrorId);
        Assert.Contains("U+0000", name.Message);
    }

    [Fact]
    public void Takes_a_database_NULL_as_a_null_value()
    {
        var (_, failure) = Build(null, P("unique_id", "a"), P("names", DBNull.Value));
        Assert.Equal(ErrorIds.TagValueNull, failure!.ErrorId);
        Assert.Contains("NULL", failure.Message);
    }

    [Fact]
    public void Refuses_a_null_tag_value()
    {
        var (_, failure) = Build(null, P("unique_id", "a"), P("names", null));
        Assert.Equal(ErrorIds.TagValueNull, failure!.ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Refuses_a_property_with_an_empty_name(string name)
    {
        var (_, failure) = Build(null, P("unique_id", "a"), P(name, "x"));
        Assert.Equal(ErrorIds.InvalidTagName, failure!.ErrorId);
    }

    [Fact]
    public void Refuses_a_property_name_with_a_lone_surrogate() // found by the fuzz test: a name that cannot be written as JSON
    {
        var (_, failure) = Build(null, P("unique_id", "a"), P("bad " + (char)0xD800 + " name", "x"));
        Assert.Equal(ErrorIds.InvalidTagName, failure!.ErrorId);
        Assert.Contains("not valid Unicode", failure.Message);
    }

    [Fact]
    public void Refuses_two_names_that_differ_only_by_case()
    {
        var (_, failure) = Build(null, P("unique_id", "a"), P("Names", "x"), P("names", "y"));
        Assert.Equal(ErrorIds.DuplicateTagName, failure!.ErrorId);
        var (_, idFailure) = Build(null, P("unique_id", "a"), P("Unique_ID", "b"));
        Assert.Equal(ErrorIds.DuplicateTagName, idFailure!.ErrorId);
    }

    [Fact]
    public void Refuses_case_twins_of_a_custom_id_column_and_of_the_spare_unique_id_column()
    {
        var (_, idTwin) = Build("Email", P("Email", "a@example.com"), P("names", "x"), P("EMAIL", "b@example.com"));
        Assert.Equal(ErrorIds.DuplicateTagName, idTwin!.ErrorId);
        var (_, spareTwin) = Build("Email", P("Email", "a@example.com"), P("unique_id", "1"), P("Unique_Id", "2"));
        Assert.Equal(ErrorIds.DuplicateTagName, spareTwin!.ErrorId);
        var (row, failure) = Build("Email", P("unique_id", "1"), P("Email", "a@example.com"), P("names", "x"));
        Assert.Null(failure);
        Assert.Equal("a@example.com", row!.UniqueId);
        Assert.Equal(new[] { "Email", "names" }, row.Tags.Select(t => t.Key));
    }

    [Fact]
    public void Refuses_text_with_a_lone_surrogate_but_keeps_emoji()
    {
        var (_, failure) = Build(null, P("unique_id", "a"), P("names", "bad \ud800 text"));
        Assert.Equal(ErrorIds.TagValueInvalidText, failure!.ErrorId);
        var (row, _) = Build(null, P("unique_id", "a"), P("names", "ok 😀"));
        Assert.Equal("ok 😀", row!.Tags[0].Value);
    }

    [Fact]
    public void Sends_numbers_dates_and_booleans_as_invariant_text_whatever_the_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var (row, failure) = Build(null,
                P("unique_id", 42),
                P("price", 1234.5m),
                P("ratio", 0.1),
                P("count", 1_000_000),
                P("day", new DateTime(1999, 12, 31)),
                P("at", new DateTime(1999, 12, 31, 9, 5, 7, DateTimeKind.Utc)),
                P("yes", true),
                P("kind", DayOfWeek.Friday));
            Assert.Null(failure);
            Assert.Equal("42", row!.UniqueId);
            var tags = row.Tags.ToDictionary(t => t.Key, t => t.Value);
            Assert.Equal("1234.5", tags["price"]);
            Assert.Equal("0.1", tags["ratio"]);
            Assert.Equal("1000000", tags["count"]);
            Assert.Equal("1999-12-31", tags["day"]);
            Assert.Equal("1999-12-31T09:05:07Z", tags["at"]);
            Assert.Equal("True", tags["yes"]);
            Assert.Equal("Friday", tags["kind"]);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Keeps_string_values_exactly_as_given()
    {
        var hostile = "  \"quoted\" \\ back\nslash\ttab <b>markup</b> עברית 😀  ";
        var (row, _) = Build(null, P("unique_id", "a"), P("names", hostile));
        Assert.Equal(hostile, row!.Tags[0].Value);
    }
}

public class UniqueIdRegistryTests
{
    [Fact]
    public void Refuses_the_second_row_with_an_id_and_compares_ids_exactly()
    {
        var registry = new UniqueIdRegistry();
        Assert.Null(registry.Claim(Runs.Row(1, "abc")));
        Assert.Null(registry.Claim(Runs.Row(2, "ABC")));
        var failure = registry.Claim(Runs.Row(3, "abc"));
        Assert.Equal(ErrorIds.DuplicateUniqueId, failure!.ErrorId);
        Assert.Contains("Row 3", failure.Message);
    }

    [Fact]
    public void Tells_apart_a_million_distinct_ids_and_ids_that_differ_in_one_high_byte()
    {
        var registry = new UniqueIdRegistry();
        for (var i = 0; i < 1_000_000; i++) Assert.Null(registry.Claim(Runs.Row(i, "lead-" + i.ToString(CultureInfo.InvariantCulture))));
        Assert.Equal(1_000_000, registry.Count);
        Assert.NotEqual(GanAi.Ids.IdHash.Of("a\u0100"), GanAi.Ids.IdHash.Of("a\u0001"));
        Assert.NotEqual(GanAi.Ids.IdHash.Of("ab"), GanAi.Ids.IdHash.Of("ba"));
    }

    [Fact]
    public void Refuses_every_repeat_after_its_tables_have_grown_many_times()
    {
        var registry = new UniqueIdRegistry();
        for (var i = 0; i < 200_000; i++) Assert.Null(registry.Claim(Runs.Row(i, "id-" + i.ToString(CultureInfo.InvariantCulture))));
        for (var i = 0; i < 200_000; i += 997)
        {
            Assert.Equal(ErrorIds.DuplicateUniqueId, registry.Claim(Runs.Row(i, "id-" + i.ToString(CultureInfo.InvariantCulture)))!.ErrorId);
        }
        Assert.Equal(200_000, registry.Count);
    }

    [Fact]
    public void Refuses_to_be_used_once_its_tables_are_freed()
    {
        var registry = new UniqueIdRegistry();
        Assert.Null(registry.Claim(Runs.Row(1, "a")));
        registry.Dispose();
        registry.Dispose(); // twice is harmless
        Assert.Throws<ObjectDisposedException>(() => registry.Claim(Runs.Row(2, "b")));
    }
}

/// <summary>Rows the cmdlet must not send as they are: text decoded with the wrong encoding, and a row without its id column.</summary>
public class RowRefusalTests
{
    private static KeyValuePair<string, object?> P(string name, object? value) => new(name, value);

    private static (VideoRow? Row, RowFailure? Failure) Build(string? idProperty, params KeyValuePair<string, object?>[] properties)
    {
        var builder = new RowBuilder(idProperty);
        builder.TryBuild(7, "source", properties, out var row, out var failure);
        return (row, failure);
    }

    /// <summary>A row of unique_id r-1 and names Ann, with <paramref name="name"/> (one of them, or another) set to <paramref name="value"/>.</summary>
    private static (VideoRow? Row, RowFailure? Failure) BuildWith(string name, string value)
    {
        var properties = new List<KeyValuePair<string, object?>> { P("unique_id", "r-1"), P("names", "Ann") };
        properties.RemoveAll(p => p.Key == name);
        properties.Add(P(name, value));
        return Build(null, properties.ToArray());
    }

    [Theory]
    [InlineData("names", "Bj\uFFFDrn", "'names' ('Bj\uFFFDrn')")]
    [InlineData("unique_id", "id-\uFFFD", "'unique_id'")]
    [InlineData("n\uFFFDme", "Ann", "the name of its property")]
    public void Refuses_text_with_the_replacement_character_as_misdecoded_and_names_the_encoding_to_read_it_with(string name, string value, string where)
    {
        var (row, failure) = BuildWith(name, value);
        Assert.Null(row);
        Assert.Equal(ErrorIds.MisdecodedText, failure!.ErrorId);
        Assert.Contains(where, failure.Message);
        Assert.Contains("Import-Csv -Encoding 1252", failure.Message);
    }

    [Theory]
    [InlineData("unique_id", "caf\u00C3\u00A9-1", "\u00C3\u00A9", "\u00E9")] // café, UTF-8 read as Windows-1252
    [InlineData("names", "Bj\u00C3\u00B6rn", "\u00C3\u00B6", "\u00F6")]
    [InlineData("names", "it\u00E2\u20AC\u2122s", "\u00E2\u20AC\u2122", "\u2019")] // it’s: a 3-byte sequence with Windows-1252's € and ™
    [InlineData("names", "\u00C2\u00A3 5", "\u00C2\u00A3", "\u00A3")] // £ read as Latin-1
    [InlineData("n\u00C3\u00A4me", "Ann", "\u00C3\u00A4", "\u00E4")]
    public void Refuses_UTF8_read_as_Windows_1252_and_says_what_was_meant(string name, string value, string found, string meant)
    {
        var (row, failure) = BuildWith(name, value);
        Assert.Null(row);
        Assert.Equal(ErrorIds.MisdecodedText, failure!.ErrorId);
        Assert.Contains($"has '{found}'", failure.Message);
        Assert.Contains($"how '{meant}' looks", failure.Message);
        Assert.Contains("Import-Csv -Encoding UTF8", failure.Message);
    }

    [Theory]
    [InlineData("S\u00E3o Paulo")] // ã then an ASCII letter
    [InlineData("\u00C7a va")]
    [InlineData("\u00C6r\u00F8")]
    [InlineData("Fran\u00E7ois M\u00FCller-L\u00FCdenscheid")]
    [InlineData("\u00C3")] // a lead byte alone at the end
    [InlineData("\u00C3!")] // a lead byte before a byte that cannot continue it
    [InlineData("\u00E9\u00A9 2024")] // é then ©: 0xE9 would need two continuation bytes
    public void Takes_real_Latin_text_as_it_is(string value)
    {
        var (row, failure) = BuildWith("names", value);
        Assert.True(row != null, failure?.Message);
    }

    [Fact]
    public void Tells_a_row_without_its_id_property_from_one_with_a_blank_id()
    {
        var builder = new RowBuilder("Emial");
        Assert.False(builder.TryBuild(1, "s", new[] { P("Email", "a@example.com"), P("names", "Ann") }, out _, out _));
        Assert.Equal(new[] { "Email", "names" }, builder.ColumnsWithoutId);
        Assert.False(builder.TryBuild(2, "s", new[] { P("Emial", ""), P("names", "Ann") }, out _, out var blank));
        Assert.Null(builder.ColumnsWithoutId); // the property is there, only empty: one row's error
        Assert.Equal(ErrorIds.MissingUniqueId, blank!.ErrorId);
    }
}
