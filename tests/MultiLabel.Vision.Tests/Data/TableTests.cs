using MultiLabel.Vision.Data.Tables;
using Xunit;

namespace MultiLabel.Vision.Tests.Data;

public sealed class TableTests
{
    [Fact]
    public void Quoted_fields_with_commas_quotes_and_newlines_are_read()
    {
        var table = Table.ParseCsv(new StringReader("fname,labels\n\"a,b.jpg\",\"say \"\"hi\"\"\"\nc.jpg,\"two\nlines\"\n"), "t.csv");

        Assert.Equal(["fname", "labels"], table.Columns);
        Assert.Equal("a,b.jpg", table.Rows[0]["fname"]);
        Assert.Equal("say \"hi\"", table.Rows[0]["labels"]);
        Assert.Equal("two\nlines", table.Rows[1]["labels"]);
        Assert.Equal("t.csv row 2", table.Rows[1].Location);
    }

    [Fact]
    public void A_missing_column_is_named_with_the_columns_there_are()
    {
        var table = Table.ParseCsv(new StringReader("fname,labels\na.jpg,dog\n"), "train.csv");

        var error = Assert.Throws<InvalidDataException>(() => table.RequireColumns("fname", "labels", "is_valid"));

        Assert.Equal("train.csv lacks the column 'is_valid' (it has: fname, labels).", error.Message);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_fields_is_named()
    {
        var error = Assert.Throws<InvalidDataException>(() => Table.ParseCsv(new StringReader("a,b\n1,2\n3\n"), "x.csv"));
        Assert.Equal("x.csv row 2 has 1 fields, the header has 2.", error.Message);
    }

    [Fact]
    public void An_unclosed_quote_and_an_empty_file_are_errors_and_crlf_and_blank_lines_are_read()
    {
        var unclosed = Assert.Throws<InvalidDataException>(() => Table.ParseCsv(new StringReader("a,b\n1,2\n\"3,4\n5,6\n"), "q.csv"));
        Assert.Equal("q.csv row 2: a quoted field is never closed.", unclosed.Message);
        var empty = Assert.Throws<InvalidDataException>(() => Table.ParseCsv(new StringReader(""), "e.csv"));
        Assert.Equal("e.csv is empty: a header row is needed.", empty.Message);

        var table = Table.ParseCsv(new StringReader("fname , labels\r\na.jpg,dog\r\n\r\nb.jpg,\"cat,dog\"\r\n"), "w.csv");

        Assert.Equal(["fname", "labels"], table.Columns);
        Assert.Equal(["dog", "cat,dog"], table.Rows.Select(r => r["labels"]));
        Assert.Equal("w.csv row 2", table.Rows[1].Location);
    }

    [Fact]
    public void A_table_round_trips_through_a_DataFrame()
    {
        var table = Table.ParseCsv(new StringReader("fname,labels,is_valid\na.jpg,cat dog,True\nb.jpg,,False\n"), "t.csv");

        var frame = table.ToDataFrame();
        var back = Table.FromDataFrame(frame);

        Assert.Equal(2, frame.Rows.Count);
        Assert.Equal("cat dog", frame.Columns["labels"][0]);
        Assert.Equal(table.Columns, back.Columns);
        Assert.Equal("", back.Rows[1]["labels"]);
        Assert.Equal("DataFrame row 1", back.Rows[0].Location);
    }

    [Fact]
    public void DataFrame_booleans_become_True_and_False()
    {
        var frame = new Microsoft.Data.Analysis.DataFrame(
            new Microsoft.Data.Analysis.StringDataFrameColumn("fname", ["a.jpg", "b.jpg"]),
            new Microsoft.Data.Analysis.BooleanDataFrameColumn("is_valid", [true, false]));

        var table = Table.FromDataFrame(frame);

        Assert.Equal("True", table.Rows[0]["is_valid"]);
        Assert.Equal("False", table.Rows[1]["is_valid"]);
    }
}
