using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.ModelStorage;
using PrintFlow.ServiceDefaults;
using PrintFlow.Shop.Endpoints;
using PrintFlow.Testing;

namespace PrintFlow.Shop.Tests;

public sealed class UploadTests(ShopHostFixture fixture) : IClassFixture<ShopHostFixture>
{
    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task PlaceOrder_WithStlModel_StoresModelBySha256AndPublishesOrderSubmitted()
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync("Ada Lovelace");
        var model = StlFiles.BinaryCube(15);

        var response = await PostUploadAsync(session, model, "cube.stl", material: "PETG", quantity: "3", leadTime: "Express");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/orders/", location);
        var orderId = Guid.Parse(location["/orders/".Length..]);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(model));
        var store = Host.Services.GetRequiredService<IModelStore>();
        Assert.True(await store.ExistsAsync(sha256, CancellationToken.None));
        using (var stored = await store.OpenFileAsync(sha256, CancellationToken.None))
        {
            Assert.Equal(model, await File.ReadAllBytesAsync(stored.Path));
        }

        var outbox = await Host.OutboxAsync(m => m.CorrelationId == orderId);
        var row = Assert.Single(outbox);
        var submitted = Assert.IsType<OrderSubmitted>(MessageSerializer.Deserialize(row.ToEnvelope()));
        var item = Assert.Single(submitted.Items);
        Assert.Equal((sha256, "cube.stl", (long)model.Length, "PETG", 3), (item.ModelSha256, item.FileName, item.SizeBytes, item.Material, item.Quantity));
        Assert.Equal(LeadTime.Express, submitted.LeadTime);
        Assert.Equal(SalesChannel.Shop, submitted.Customer.Channel);
        Assert.Equal(email, submitted.Customer.Email);
        Assert.Equal("Ada Lovelace", submitted.Customer.Name);

        var page = await session.Client.GetStringAsync(location);
        Assert.Contains(OrderNumber.From(orderId), page);
        Assert.Contains("data-testid=\"order-status\"", page); // Ordering may already have moved it on
    }

    [Theory]
    [InlineData("empty.stl", 0, "PLA", "1", UploadErrors.EmptyFile, "The model file is empty.")]
    [InlineData("notes.txt", 100, "PLA", "1", UploadErrors.WrongExtension, "Upload an .stl, .obj or .3mf model file.")]
    [InlineData("part.stl", 100, "PLA", "0", UploadErrors.BadQuantity, "The quantity must be a whole number from 1 to 1000.")]
    [InlineData("part.stl", 100, "PLA", "1001", UploadErrors.BadQuantity, "The quantity must be a whole number from 1 to 1000.")]
    [InlineData("part.stl", 100, "PLA", "two", UploadErrors.BadQuantity, "The quantity must be a whole number from 1 to 1000.")]
    [InlineData("part.stl", 100, "Gold", "1", UploadErrors.UnknownMaterial, "Choose one of the materials we offer: PLA, PETG, ABS, Resin.")]
    [InlineData("", 0, "PLA", "1", UploadErrors.MissingFile, "Choose a model file to upload.")]
    [InlineData("huge.stl", ShopHostFixture.MaxModelBytes + 1, "PLA", "1", UploadErrors.TooLarge, "The model file is too large. The limit is 64 KiB.")]
    public async Task PlaceOrder_WithInvalidInput_ShowsReasonAndPublishesNothing(
        string fileName, long size, string material, string quantity, string code, string sentence)
    {
        var session = WebSession.Open(Host);
        var email = await session.RegisterAsync();

        var response = await PostUploadAsync(session, new byte[size], fileName, material, quantity, "Standard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.Equal($"/?error={code}", location);
        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync(location));
        Assert.Contains(sentence, page);
        Assert.Empty(await Host.OutboxAsync(m => m.Name.StartsWith("orders.", StringComparison.Ordinal) && m.Payload.Contains(email, StringComparison.Ordinal)));
        Assert.Empty(await Host.WithDbAsync(db => Task.FromResult(db.Orders.Where(o => o.CustomerEmail == email).ToList())));
        if (code is UploadErrors.BadQuantity or UploadErrors.UnknownMaterial)
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(new byte[size]));
            Assert.False(await Host.Services.GetRequiredService<IModelStore>().ExistsAsync(sha256, CancellationToken.None), "a refused order keeps no model");
        }
    }

    [Fact]
    public async Task PlaceOrder_WhenFieldsFollowTheModel_PlacesTheOrder()
    {
        var session = WebSession.Open(Host);
        await session.RegisterAsync();
        var token = await session.TokenAsync("/");
        var model = new ByteArrayContent(StlFiles.BinaryCube(16.5));
        model.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { model, "model", "cube.stl" },
            { new StringContent("PLA"), "material" },
            { new StringContent("1"), "quantity" },
        };
        foreach (var (name, value) in TestAddresses.Checkout)
        {
            content.Add(new StringContent(value), name);
        }

        var response = await session.Client.PostAsync("/shop/orders", content);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/orders/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task PlaceOrder_WhenDailyQuotaUsedUp_ShowsLimitAndStoresNothing()
    {
        using var host = new PrintFlowHost(new Dictionary<string, string?> { ["Shop:UploadModelsPerDay"] = "1" });
        var session = WebSession.Open(host);
        await session.RegisterAsync();
        var first = await PostUploadAsync(session, StlFiles.BinaryCube(17.5), "first.stl", "PLA", "1", "Standard");
        Assert.StartsWith("/orders/", first.Headers.Location!.OriginalString);
        var second = StlFiles.BinaryCube(18.5);

        var response = await PostUploadAsync(session, second, "second.stl", "PLA", "1", "Standard");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith($"/?error={UploadErrors.QuotaExceeded}&resets=", location);
        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync(location));
        Assert.Contains("Upload limit reached: at most 1 models and 2 GiB in 24 hours", page);
        Assert.Contains("Upload limit reached", page);
        Assert.False(await host.Services.GetRequiredService<IModelStore>().ExistsAsync(Convert.ToHexStringLower(SHA256.HashData(second)), CancellationToken.None));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(host.DataDirectory, "models"), ".upload-*"));
    }

    [Fact]
    public async Task PlaceOrder_WithoutAntiforgeryToken_IsRejected()
    {
        var session = WebSession.Open(Host);
        await session.RegisterAsync();
        using var content = new MultipartFormDataContent
        {
            { new StringContent("PLA"), "material" },
            { new StringContent("1"), "quantity" },
            { new ByteArrayContent(StlFiles.BinaryCube()), "model", "cube.stl" },
        };

        var response = await session.Client.PostAsync("/shop/orders", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PlaceOrder_WhenSignedOut_DoesNotCreateAnOrder()
    {
        var session = WebSession.Open(Host);
        var token = await session.TokenAsync("/login");
        using var content = Upload(token, StlFiles.BinaryCube(), "cube.stl", "PLA", "1", "Standard");

        var response = await session.Client.PostAsync("/shop/orders", content);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.AbsolutePath);
    }

    private static async Task<HttpResponseMessage> PostUploadAsync(
        WebSession session, byte[] model, string fileName, string material, string quantity, string leadTime)
    {
        var token = await session.TokenAsync("/");
        using var content = Upload(token, model, fileName, material, quantity, leadTime);
        return await session.Client.PostAsync("/shop/orders", content);
    }

    /// <summary>The parts in the order the storefront form sends them: token first, file last.</summary>
    private static MultipartFormDataContent Upload(string token, byte[] model, string fileName, string material, string quantity, string leadTime)
    {
        var file = new ByteArrayContent(model);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(material), "material" },
            { new StringContent(quantity), "quantity" },
            { new StringContent(leadTime), "leadTime" },
        };
        foreach (var (name, value) in TestAddresses.Checkout)
        {
            content.Add(new StringContent(value), name);
        }

        if (fileName.Length == 0)
        {
            // What a browser sends when no file was chosen.
            file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"model\"", FileName = "\"\"" };
            content.Add(file);
        }
        else
        {
            content.Add(file, "model", fileName);
        }

        return content;
    }
}
