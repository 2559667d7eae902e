using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using MimeKit;
using PrintFlow.Contracts;
using PrintFlow.Notifications.Data;
using PrintFlow.Testing;

namespace PrintFlow.Notifications.Tests;

/// <summary>The embedded default: no mail server, emails as .eml files, and a development page that shows them.</summary>
public sealed class PickupFolderTests
{
    [Fact]
    public async Task EmbeddedDefault_WritesEachEmailAsAnEmlFile_AndTheDevelopmentPageShowsIt()
    {
        using var host = new PrintFlowHost();
        var story = OrderStory.NewCustomer();
        var order = Guid.CreateVersion7();
        await host.DispatchAsync("notifications", story.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, OrderStory.Quote(420m)));

        var folder = Path.Combine(host.DataDirectory, "mail");
        var file = await Eventually.UntilAsync(() => Task.FromResult(Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : []),
            files => files.Length == 1, "the email is written to the pickup folder");
        var email = await MimeMessage.LoadAsync(file[0]);
        Assert.Equal($"Заказ {OrderNumber.From(order)}: цена рассчитана", email.Subject);
        Assert.Contains($"http://localhost:8080/orders/{order}", email.HtmlBody);

        using var client = host.CreateClient();
        var list = await client.GetStringAsync("/dev/notifications");
        Assert.Contains(OrderNumber.From(order), list);
        await using var scope = host.Services.CreateAsyncScope();
        var id = (await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Notifications.SingleAsync(n => n.OrderId == order)).Id;
        using var shown = await client.GetAsync($"/dev/notifications/{id}");
        Assert.Equal("text/html", shown.Content.Headers.ContentType!.MediaType);
        Assert.Equal(email.HtmlBody, await shown.Content.ReadAsStringAsync());
        Assert.Contains("default-src 'self'", shown.Headers.GetValues("Content-Security-Policy").Single()); // shown under the site's CSP
    }

    [Fact]
    public void Options_WithSmtpChosenButNoHostAndARelativeBaseUrl_FailValidationNamingEachSetting()
    {
        var result = new NotificationsOptionsValidator().Validate(null, new NotificationsOptions
        {
            Delivery = MailDelivery.Smtp,
            PublicBaseUrl = "not a url",
            Smtp = new SmtpSettings { UserName = "mailer" },
        });

        Assert.True(result.Failed);
        Assert.Contains("Notifications:Smtp:Host is required", result.FailureMessage);
        Assert.Contains("Notifications:PublicBaseUrl must be an absolute http(s) address", result.FailureMessage);
        Assert.Contains("Notifications:Smtp:UserName and Notifications:Smtp:Password go together", result.FailureMessage);
    }
}
