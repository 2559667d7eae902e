using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests.Support;

/// <summary>One embedded host per test class: tests in a class use their own orders, so they can share it.</summary>
public class HostFixture : IAsyncLifetime
{
    public PrintFlowHost Host { get; private set; } = default!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        Host = new PrintFlowHost(Settings);
        await Host.ReadyAsync();
    }

    public Task DisposeAsync()
    {
        Host.Dispose();
        return Task.CompletedTask;
    }
}
