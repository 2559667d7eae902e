using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests;

/// <summary>The shared host fixture for the partner API tests, with a client of the Development demo partner.</summary>
public sealed class PartnersFixture : PrintFlowHostFixture
{
    /// <summary>A client signed in as the Development demo partner.</summary>
    public HttpClient Demo => _demo ??= PartnerApi.ClientWithKey(Host, PartnerApi.DemoKey);

    private HttpClient? _demo;

    public override Task DisposeAsync()
    {
        _demo?.Dispose();
        return base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PartnersCollection : ICollectionFixture<PartnersFixture>
{
    public const string Name = "partners";
}
