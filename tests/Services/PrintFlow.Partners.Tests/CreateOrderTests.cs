using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using PrintFlow.Contracts;
using PrintFlow.Partners.Accounts;
using PrintFlow.Partners.Endpoints;
using PrintFlow.Testing;

namespace PrintFlow.Partners.Tests;

[Collection(PartnersCollection.Name)]
public sealed class CreateOrderTests(PartnersFixture fixture)
{
    [Fact]
    public async Task CreateOrder_WithBinaryStl_Returns202AndPublishesOrderSubmitted()
    {
        var model = StlFiles.BinaryCube();

        using var response = await PartnerApi.PostOrderAsync(fixture.Demo,
            PartnerApi.OrderForm(model, material: "PETG", quantity: "3", reference: "PO-4711", leadTime: "Express"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<OrderCreated>())!;
        Assert.Equal($"/api/partners/v1/orders/{created.Id}", response.Headers.Location?.OriginalString);
        Assert.Equal(OrderNumber.From(created.Id), created.OrderNumber);
        Assert.Equal("Submitted", created.Status);
        Assert.Equal("PO-4711", created.Reference);
        Assert.Equal($"/api/partners/v1/orders/{created.Id}/confirm", created.Links.Confirm);

        var submitted = Assert.IsType<OrderSubmitted>(Assert.Single(await PartnerApi.PublishedAsync(fixture.Host, created.Id)));
        Assert.Equal(SalesChannel.Partner, submitted.Customer.Channel);
        Assert.Equal(DemoPartnerSeeder.PartnerId.ToString(), submitted.Customer.CustomerId);
        Assert.Equal("Demo Partner Ltd", submitted.Customer.Name);
        Assert.Equal(LeadTime.Express, submitted.LeadTime);
        var item = Assert.Single(submitted.Items);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(model)), item.ModelSha256);
        Assert.Equal(model.Length, item.SizeBytes);
        Assert.Equal("cube.stl", item.FileName);
        Assert.Equal("PETG", item.Material);
        Assert.Equal(3, item.Quantity);
    }

    [Fact]
    public async Task CreateOrder_WithTwoModels_SubmitsOneItemPerModel()
    {
        var form = PartnerApi.OrderForm(StlFiles.BinaryCube(10), material: "Resin");
        form.Add(new ByteArrayContent(StlFiles.BinaryCube(30)), "model", "big-cube.STL");

        using var response = await PartnerApi.PostOrderAsync(fixture.Demo, form);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<OrderCreated>())!;
        var submitted = Assert.IsType<OrderSubmitted>(Assert.Single(await PartnerApi.PublishedAsync(fixture.Host, created.Id)));
        Assert.Equal(["cube.stl", "big-cube.STL"], submitted.Items.Select(i => i.FileName));
        Assert.All(submitted.Items, i => Assert.Equal("Resin", i.Material));
    }

    [Fact]
    public async Task CreateOrder_WhenIdempotencyKeyReplayed_ReturnsSameOrderAndPublishesOnce()
    {
        var key = $"retry-{Guid.NewGuid():N}";

        using var first = await PartnerApi.PostOrderAsync(fixture.Demo, PartnerApi.OrderForm(reference: "PO-1"), key);
        using var second = await PartnerApi.PostOrderAsync(fixture.Demo, PartnerApi.OrderForm(reference: "PO-1"), key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
        var created = (await first.Content.ReadFromJsonAsync<OrderCreated>())!;
        Assert.Single(await PartnerApi.PublishedAsync(fixture.Host, created.Id));
        var page = (await fixture.Demo.GetFromJsonAsync<OrderPage>($"{PartnerApi.Orders}?limit=100"))!;
        Assert.Single(page.Items, o => o.Reference == "PO-1");
    }

    [Fact]
    public async Task CreateOrder_WhenIdempotencyKeyReusedForDifferentRequest_Returns422()
    {
        var key = $"reuse-{Guid.NewGuid():N}";
        using var first = await PartnerApi.PostOrderAsync(fixture.Demo, PartnerApi.OrderForm(quantity: "1"), key);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);

        using var second = await PartnerApi.PostOrderAsync(fixture.Demo, PartnerApi.OrderForm(quantity: "5"), key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        Assert.Equal("idempotency.key-reused", await PartnerApi.ProblemCodeAsync(second));
    }

    [Fact]
    public async Task CreateOrder_WhenSameKeyUsedByAnotherPartner_CreatesItsOwnOrder()
    {
        var key = $"shared-{Guid.NewGuid():N}";
        var other = await PartnerApi.CreatePartnerAsync(fixture.Host, "Same Key Industries");
        using var otherClient = PartnerApi.ClientWithKey(fixture.Host, other.ApiKey);

        using var mine = await PartnerApi.PostOrderAsync(fixture.Demo, PartnerApi.OrderForm(), key);
        using var theirs = await PartnerApi.PostOrderAsync(otherClient, PartnerApi.OrderForm(), key);

        Assert.Equal(HttpStatusCode.Accepted, theirs.StatusCode);
        Assert.NotEqual(mine.Headers.Location, theirs.Headers.Location);
    }

    [Theory]
    [InlineData(false, "PLA", "2", "model.missing")]
    [InlineData(true, "Wood", "2", "material.invalid")]
    [InlineData(true, null, "2", "material.missing")]
    [InlineData(true, "PLA", "0", "quantity.invalid")]
    [InlineData(true, "PLA", "10001", "quantity.invalid")]
    [InlineData(true, "PLA", "two", "quantity.invalid")]
    public async Task CreateOrder_WhenFormInvalid_Returns400WithCode(bool withModel, string? material, string quantity, string code)
    {
        using var response = await PartnerApi.PostOrderAsync(fixture.Demo, PartnerApi.OrderForm(material: material, quantity: quantity, withModel: withModel));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await PartnerApi.ProblemAsync(response);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.EndsWith(".", problem.GetProperty("detail").GetString()!.TrimEnd(')'));
    }

    [Fact]
    public async Task CreateOrder_WhenModelIsNotA3dFormat_Returns400()
    {
        using var response = await PartnerApi.PostOrderAsync(fixture.Demo, PartnerApi.OrderForm(fileName: "invoice.pdf"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("model.unsupported-format", await PartnerApi.ProblemCodeAsync(response));
    }

    [Fact]
    public async Task CreateOrder_WhenBodyIsJson_Returns415()
    {
        using var response = await fixture.Demo.PostAsJsonAsync(PartnerApi.Orders, new { material = "PLA", quantity = 1 });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("request.multipart-required", await PartnerApi.ProblemCodeAsync(response));
    }
}
