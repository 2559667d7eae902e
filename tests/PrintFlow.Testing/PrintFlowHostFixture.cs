using Xunit;

namespace PrintFlow.Testing;

/// <summary>
/// One embedded host shared by the tests of a class (<c>IClassFixture</c>) or a collection: starting the whole system per
/// test would cost more than the tests, and each test uses orders and accounts of its own. A project that needs
/// settings or a readiness wait derives and overrides <see cref="Settings"/> or <see cref="StartedAsync"/>.
/// </summary>
public class PrintFlowHostFixture : IAsyncLifetime
{
    public PrintFlowHost Host { get; private set; } = default!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Host = new PrintFlowHost(Settings);
        await StartedAsync(Host);
    }

    /// <summary>Runs once the host exists; by default nothing, so the first request starts it (a test may still ask for Kestrel).</summary>
    protected virtual Task StartedAsync(PrintFlowHost host) => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Host.Dispose();
        return Task.CompletedTask;
    }
}
