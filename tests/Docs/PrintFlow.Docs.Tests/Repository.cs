namespace PrintFlow.Docs.Tests;

internal static class Repository
{
    /// <summary>The repository root (the folder holding PrintFlow.slnx), found from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>README.md and every Markdown file under docs/: the documents a reader follows links through.</summary>
    public static IEnumerable<string> Documents() =>
        new[] { Path.Combine(Root, "README.md") }
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Order(StringComparer.Ordinal));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PrintFlow.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PrintFlow.slnx not found above " + AppContext.BaseDirectory);
    }
}
