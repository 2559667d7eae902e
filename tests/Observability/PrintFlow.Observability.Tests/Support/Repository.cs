namespace PrintFlow.Observability.Tests.Support;

internal static class Repository
{
    /// <summary>The repository root (the folder holding PrintFlow.slnx), found from the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    public static string ObservabilityDeploy => Path.Combine(Root, "deploy", "observability");

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
