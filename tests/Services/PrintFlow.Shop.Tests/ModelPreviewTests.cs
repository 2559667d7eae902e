using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.ModelStorage;
using PrintFlow.Shop.Preview;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

public sealed class ModelPreviewTests(ShopHostFixture fixture) : IClassFixture<ShopHostFixture>
{
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task GetPreview_WithTheLinkAPageHandsOut_ReturnsTheModelsLightCopy()
    {
        var stored = await Host.Services.GetRequiredService<IModelStore>().SaveAsync(new MemoryStream(StlFiles.BinaryCube(20)), CancellationToken.None);
        var link = Host.Services.GetRequiredService<ModelPreviews>().LinkFor(stored.Sha256);

        var response = await Host.CreateClient().GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.printflow.preview", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("PFPV", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal(12, BitConverter.ToInt32(bytes, 8));
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task GetPreview_WithAForgedLink_IsNotFoundWithACode(string token)
    {
        var response = await Host.CreateClient().GetAsync($"{ModelPreviews.Route}/{token}");

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "preview.not-found");
    }

    [Fact]
    public async Task GetPreview_OfAFileThatIsNoModel_SaysItCannotBeShown()
    {
        var stored = await Host.Services.GetRequiredService<IModelStore>().SaveAsync(new MemoryStream(Encoding.UTF8.GetBytes("solid nothing here")), CancellationToken.None);
        var link = Host.Services.GetRequiredService<ModelPreviews>().LinkFor(stored.Sha256);

        var response = await Host.CreateClient().GetAsync(link);

        await AssertProblemAsync(response, HttpStatusCode.UnprocessableEntity, "preview.unreadable");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.GetProperty("detail").GetString()));
    }
}
