using System.Net;
using System.Text;
using PdfSharp.Pdf.IO;
using PrintFlow.Contracts;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>The packing slip as a PDF, beside the printable page.</summary>
public sealed class PackingSlipPdfTests : IDisposable
{
    private readonly PrintFlowHost _host = new();

    [Fact]
    public async Task PackingSlipPdf_WhenAnOperatorAsks_IsAOnePagePdfNamedForTheOrder()
    {
        using var customer = WebSession.Open(_host);
        await customer.SignInAsync("customer@printflow.local");
        var orderPath = await CustomerOrderTests.PlaceOrderAsync(customer, StlFiles.BinaryCube(10), "slip.stl");
        var number = OrderNumber.From(Guid.Parse(orderPath["/orders/".Length..]));
        var quoted = await CustomerOrderTests.WaitForStatusAsync(customer, orderPath, OrderStatus.Quoted);
        var quoteId = System.Text.RegularExpressions.Regex.Match(quoted, "name=\"quoteId\" value=\"([0-9a-f-]+)\"").Groups[1].Value;
        using (var confirm = await customer.PostFormAsync($"/shop{orderPath}/confirm", WebSession.TokenIn(quoted), ("quoteId", quoteId)))
        {
            Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        }

        var factory = await Operator.SignInAsync(_host);
        var jobId = await factory.WaitForJobAsync(number);

        using var response = await factory.Session.Client.GetAsync($"/mes/jobs/{jobId}/packing-slip.pdf");
        using var anonymous = WebSession.Open(_host);
        using var stranger = await anonymous.Client.GetAsync($"/mes/jobs/{jobId}/packing-slip.pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
        using var pdf = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import);
        Assert.Equal(1, pdf.PageCount);
        Assert.Equal($"Packing slip {number}", pdf.Info.Title);
        Assert.Contains(number, WebUtility.HtmlDecode(await factory.Session.GetPageAsync($"/mes/jobs/{jobId}/packing-slip")), StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.OK, stranger.StatusCode); // staff only, like the page
    }

    public void Dispose() => _host.Dispose();
}
