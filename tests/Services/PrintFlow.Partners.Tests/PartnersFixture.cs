using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests;

/// <summary>One embedded host for the partner API tests: starting the whole system per test would cost more than the tests.</summary>
public sealed class PartnersFixture : IDisposable
{
    public PrintFlowHost Host { get; } = new();

    /// <summary>A client signed in as the Development demo partner.</summary>
    public HttpClient Demo => _demo ??= PartnerApi.ClientWithKey(Host, PartnerApi.DemoKey);

    private HttpClient? _demo;

    public void Dispose()
    {
        _demo?.Dispose();
        Host.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PartnersCollection : ICollectionFixture<PartnersFixture>
{
    public const string Name = "partners";
}
