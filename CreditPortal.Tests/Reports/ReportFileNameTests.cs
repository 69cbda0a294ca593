using CreditPortal.Reports;

namespace CreditPortal.Tests.Reports;

public sealed class ReportFileNameTests
{
    [Theory]
    [InlineData("Acme & Co. Newsletters", "acme-co-newsletters")]
    [InlineData("Café Über GmbH", "cafe-uber-gmbh")]
    [InlineData("  --Demo Newsletter Co.--  ", "demo-newsletter-co")]
    [InlineData("=cmd()|' /C calc'!A0", "cmd-c-calc-a0")]
    [InlineData("日本語", "account-42")]
    public void File_names_carry_an_ascii_slug_of_the_account_and_the_range(string name, string slug)
    {
        var account = new ReportAccount(42, name, "Europe/Rome");
        Assert.Equal(slug, ReportFileName.Slug(account));
        Assert.Equal($"creditportal-{slug}-2026-11-01_2026-11-30.xlsx",
            ReportFileName.For(account, new ReportRange(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30))));
    }

    [Fact]
    public void A_long_name_makes_a_slug_of_at_most_forty_characters()
    {
        var slug = ReportFileName.Slug(new ReportAccount(1, new string('a', 30) + " " + new string('b', 30), "Europe/Rome"));
        Assert.True(slug.Length <= 40, slug);
        Assert.StartsWith(new string('a', 30) + "-b", slug);
        Assert.False(slug.EndsWith('-'));
    }
}
