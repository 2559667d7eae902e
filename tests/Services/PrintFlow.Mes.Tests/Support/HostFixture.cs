using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests.Support;

/// <summary>The shared host fixture, ready once the Development demo staff the MES tests sign in as are seeded.</summary>
public class HostFixture : PrintFlowHostFixture
{
    protected override Task StartedAsync(PrintFlowHost host) => host.ReadyAsync();
}
