namespace PrintFlow.Docs.Tests;

public sealed class DocumentLinkTests
{
    [Fact]
    public void Links_InReadmeAndDocs_ResolveToExistingFilesAndHeadings()
    {
        var problems = MarkdownLinks.Check(Repository.Root, Repository.Documents());

        Assert.True(problems.Count == 0, "broken links:\n" + string.Join('\n', problems));
    }

    [Fact]
    public void Index_OfDocs_ListsEveryDocument()
    {
        var docs = Path.Combine(Repository.Root, "docs");
        var index = File.ReadAllLines(Path.Combine(docs, "README.md"));
        var linked = MarkdownLinks.Links(index)
            .Select(l => Path.GetFullPath(Path.Combine(docs, l.Target.Split('#')[0])))
            .ToHashSet(StringComparer.Ordinal);

        var unlisted = Directory.EnumerateFiles(docs, "*.md", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "README.md" || Path.GetDirectoryName(f) != docs)
            .Where(f => !linked.Contains(f))
            .Select(f => Path.GetRelativePath(Repository.Root, f))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(unlisted.Count == 0, "docs/README.md does not list:\n" + string.Join('\n', unlisted));
    }

    [Fact]
    public void Check_WhenALinkPointsNowhere_ReportsTheFileLineAndTarget()
    {
        var folder = Directory.CreateTempSubdirectory("printflow-docs-");
        try
        {
            var page = Path.Combine(folder.FullName, "page.md");
            File.WriteAllText(Path.Combine(folder.FullName, "other.md"), "# Other page\n\n## Where to go\n");
            File.WriteAllLines(page,
            [
                "# Page",
                "[fine](other.md#where-to-go) and [web](https://example.org/x) and `[code](nowhere.md)`",
                "[gone](missing.md)",
                "[no heading](other.md#nowhere)",
                "[here](#page)",
                "```",
                "[fenced](nowhere.md)",
                "```",
            ]);

            var problems = MarkdownLinks.Check(folder.FullName, [page]);

            Assert.Equal(["page.md:3: missing.md (no such file or folder)", "page.md:4: other.md#nowhere (no such heading)"], problems);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("How it fits together", "how-it-fits-together")]
    [InlineData("`bench/cpu.sh`: where the CPU goes", "benchcpush-where-the-cpu-goes")]
    [InlineData("Metrics: `/metrics`", "metrics-metrics")]
    [InlineData("[0010](x.md) Migrations", "0010-migrations")]
    public void Slug_OfAHeading_IsGitHubsAnchor(string heading, string anchor) =>
        Assert.Equal(anchor, MarkdownLinks.Slug(heading));
}
