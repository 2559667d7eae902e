using System.Net;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class UploadLimitTests
{
    [Fact]
    public async Task CreateOrder_WhenModelLargerThanLimit_Returns413()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["PrintFlow:MaxModelBytes"] = "500" });
        using var client = PartnerApi.ClientWithKey(host, PartnerApi.DemoKey);

        using var response = await PartnerApi.PostOrderAsync(client, PartnerApi.OrderForm(StlFiles.BinaryCube()));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("upload.too-large", await PartnerApi.ProblemCodeAsync(response));
    }
}
