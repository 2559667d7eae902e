namespace PrintFlow.Testing.Infrastructure;

/// <summary>
/// <c>./test.sh --fast</c> sets <see cref="Variable"/> and runs only the tests tagged with no category that needs a
/// server, a browser or an installed program; a test that needs one but lacks its tag fails here at once, loudly,
/// instead of reaching for a server that may not be there and waiting for a timeout.
/// </summary>
public static class FastLoop
{
    public const string Variable = "PRINTFLOW_TEST_FAST";

    public static bool IsOn => Environment.GetEnvironmentVariable(Variable) == "1";

    /// <summary>Throws in the fast loop: <paramref name="what"/> is outside it, and the test must carry <paramref name="category"/>.</summary>
    public static void Refuse(string what, string category)
    {
        if (IsOn)
        {
            throw new InvalidOperationException(
                $"This test needs {what}, which ./test.sh --fast does not provide: tag its class " +
                $"[Trait(\"Category\", \"{category}\")] (docs/testing.md).");
        }
    }
}
