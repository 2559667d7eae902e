using System.Net;
using MimeKit;
using PrintFlow.Contracts;
using PrintFlow.Messaging;
using PrintFlow.Notifications.Domain;
using PrintFlow.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace PrintFlow.Notifications.Tests;

/// <summary>Emails over a real SMTP server. Order ids here are unknown to Ordering, so only the events dispatched move them.</summary>
public sealed class NotificationEmailTests(NotificationsHostFixture fixture) : IClassFixture<NotificationsHostFixture>
{
    private const string Endpoint = "notifications";

    private Task<IReadOnlyList<MimeMessage>> ArrivedAsync(string recipient, int count) =>
        Eventually.UntilAsync(() => Task.FromResult(fixture.Smtp.To(recipient)), m => m.Count >= count, $"{count} emails reach {recipient}");

    private static string Html(MimeMessage message) => message.HtmlBody ?? "";

    private static MimeMessage Kind(IEnumerable<MimeMessage> messages, MessageKind kind) =>
        Assert.Single(messages, m => m.Headers["X-PrintFlow-Kind"] == MessageKinds.Label(kind));

    [Fact]
    public async Task StatusEvents_OfAShopOrderFromReceivedToDelivered_ArriveAsOneEmailPerStepWithSubjectAndLinks()
    {
        var story = OrderStory.NewCustomer();
        var order = Guid.CreateVersion7();
        var number = OrderNumber.From(order);
        var orderLink = $"{NotificationsHostFixture.PublicBaseUrl}/orders/{order}";
        var instant = OrderStory.Quote(1500m);
        var exact = OrderStory.Quote(1234.5m, "exact");
        var shipment = new Shipment("cdek", "CD123456789RU", "https://www.cdek.ru/track?order=CD123456789RU", DateTimeOffset.UtcNow);

        await fixture.Services.DispatchAsync(Endpoint, story.Received(order));
        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, instant));
        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Quoted, OrderStatus.Quoted, 4, exact));
        var steps = new[] { OrderStatus.Confirmed, OrderStatus.ManufacturingApproved, OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck, OrderStatus.Printing, OrderStatus.PostProcessing, OrderStatus.QualityCheck, OrderStatus.Packed };
        var previous = OrderStatus.Quoted;
        var version = 5;
        foreach (var step in steps)
        {
            await fixture.Services.DispatchAsync(Endpoint, story.Status(order, step, previous, version++, exact));
            previous = step;
        }

        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Shipped, OrderStatus.Packed, version++, exact, shipment: shipment));
        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Delivered, OrderStatus.Shipped, version, exact, shipment: shipment));

        var emails = await ArrivedAsync(story.Email, 6);
        Assert.Equal(6, emails.Count); // received, quote ready, quote updated, in production (once, not again on the reprint), shipped, delivered
        Assert.All(emails, m =>
        {
            Assert.Contains(number, m.Subject);
            Assert.Contains(orderLink, Html(m));
            Assert.Contains(orderLink, m.TextBody);
            Assert.Contains($"{NotificationsHostFixture.PublicBaseUrl}/notifications/preferences?token=", Html(m));
            Assert.StartsWith($"<{NotificationsHostFixture.PublicBaseUrl}/notifications/unsubscribe?token=", m.Headers["List-Unsubscribe"]!.Trim());
            Assert.StartsWith("<!DOCTYPE html><html lang=\"ru\">", Html(m));
            Assert.Equal(story.Email, m.To.Mailboxes.Single().Address);
        });
        Assert.Equal($"Заказ {number} принят", Kind(emails, MessageKind.OrderReceived).Subject);

        var ready = Kind(emails, MessageKind.QuoteReady);
        Assert.Equal($"Заказ {number}: цена рассчитана", ready.Subject);
        Assert.Contains("1\u00a0500,00 RUB", ready.TextBody); // Russian separators in a Russian email
        Assert.Contains("02.01.2030 10:30 UTC", Html(ready));
        Assert.Contains("gear.stl", Html(ready));
        Assert.Contains(WebUtility.HtmlEncode("Доставка / delivery — 100,00 RUB"), Html(ready));
        Assert.Contains("Посмотреть и подтвердить цену", Html(ready));

        var updated = Kind(emails, MessageKind.QuoteUpdated);
        Assert.Equal($"Заказ {number}: цена уточнена", updated.Subject);
        Assert.Contains("1\u00a0234,50 RUB", updated.TextBody);

        Assert.Equal($"Заказ {number} в производстве", Kind(emails, MessageKind.InProduction).Subject);
        var shipped = Kind(emails, MessageKind.Shipped);
        Assert.Equal($"Заказ {number} отправлен", shipped.Subject);
        Assert.Contains("CD123456789RU", Html(shipped));
        Assert.Contains(WebUtility.HtmlEncode(shipment.TrackingUrl!), Html(shipped));
        Assert.Contains("cdek", shipped.TextBody);
        Assert.Equal($"Заказ {number} доставлен", Kind(emails, MessageKind.Delivered).Subject);

        using var client = fixture.Host.CreateClient();
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("printflow_notifications_sent_total{kind=\"shipped\"}", metrics);
        Assert.Contains("printflow_notifications_send_latency_seconds_bucket{kind=\"shipped\",le=", metrics);
    }

    [Fact]
    public async Task SideExitsAndAStuckOrder_EmailRejectedWithTheReasonCancelledAndDelayed()
    {
        var story = OrderStory.NewCustomer();
        var (rejected, cancelled, late) = (Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7());

        await fixture.Services.DispatchAsync(Endpoint, story.Status(rejected, OrderStatus.Rejected, OrderStatus.PriceCalculating, 3,
            reason: "The model is not watertight: <3 holes> in gear.stl."));
        await fixture.Services.DispatchAsync(Endpoint, story.Status(cancelled, OrderStatus.Cancelled, OrderStatus.Quoted, 4));
        await fixture.Services.DispatchAsync(Endpoint, story.Stuck(late, OrderStatus.Printing, DateTimeOffset.UtcNow.AddHours(-30)));

        var emails = await ArrivedAsync(story.Email, 3);
        var rejection = Kind(emails, MessageKind.Rejected);
        Assert.Equal($"Заказ {OrderNumber.From(rejected)} не может быть выполнен", rejection.Subject);
        Assert.Contains("Причина: The model is not watertight: &lt;3 holes&gt; in gear.stl.", Html(rejection)); // encoded, never markup
        Assert.Contains("Причина: The model is not watertight: <3 holes> in gear.stl.", rejection.TextBody);
        Assert.Equal($"Заказ {OrderNumber.From(cancelled)} отменён", Kind(emails, MessageKind.Cancelled).Subject);
        var delayed = Kind(emails, MessageKind.Delayed);
        Assert.Equal($"Заказ {OrderNumber.From(late)} задерживается", delayed.Subject);
        Assert.Contains("печатается", delayed.TextBody);
        Assert.DoesNotContain("Printing", delayed.TextBody); // customer words, not the internal state name
    }

    [Fact]
    public async Task Redelivery_OfTheSameEventRepublishedOrInOneBatch_SendsOneEmail()
    {
        var story = OrderStory.NewCustomer();
        var order = Guid.CreateVersion7();
        var quoted = story.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, OrderStory.Quote(900m));
        var envelope = new MessageEnvelope(Guid.NewGuid(), MessageTypes.NameOf<OrderStatusChanged>(), order, MessageSerializer.Serialize(quoted), DateTimeOffset.UtcNow, null);
        var endpoint = fixture.Services.GetServices<IMessageEndpoint>().Single(e => e.Name == Endpoint);
        var stuck = story.Stuck(order, OrderStatus.Quoted, DateTimeOffset.UtcNow.AddDays(-3));

        await endpoint.DispatchAsync(envelope, CancellationToken.None);
        await endpoint.DispatchAsync(envelope, CancellationToken.None); // the broker redelivers the same message
        await fixture.Services.DispatchAsync(Endpoint, quoted); // the watchdog republishes it under a new message id
        Assert.All(await fixture.Services.DispatchBatchAsync(Endpoint, quoted, quoted), Assert.Null); // twice in one batch
        await fixture.Services.DispatchAsync(Endpoint, stuck);
        await fixture.Services.DispatchAsync(Endpoint, stuck with { At = DateTimeOffset.UtcNow.AddMinutes(5), Attempt = 2 });

        await ArrivedAsync(story.Email, 2);
        await fixture.StepClockUntilAsync(async () => (await fixture.RowsAsync(story.Email)).All(r => r.State == NotificationState.Sent),
            "every stored email is sent");
        Assert.Equal(2, (await fixture.RowsAsync(story.Email)).Count);
        Assert.Single(fixture.Smtp.To(story.Email), m => m.Headers["X-PrintFlow-Kind"] == "quote-ready");
        Assert.Single(fixture.Smtp.To(story.Email), m => m.Headers["X-PrintFlow-Kind"] == "delayed");
    }

    [Fact]
    public async Task PartnerOrders_AreToldByWebhooks_AndGetNoEmail()
    {
        var partner = OrderStory.NewCustomer(channel: SalesChannel.Partner);
        var order = Guid.CreateVersion7();

        await fixture.Services.DispatchAsync(Endpoint, partner.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, OrderStory.Quote(10m)));
        await fixture.Services.DispatchAsync(Endpoint, partner.Stuck(order, OrderStatus.Quoted, DateTimeOffset.UtcNow.AddDays(-1)));

        Assert.Empty(await fixture.RowsAsync(partner.Email));
    }

    [Fact]
    public async Task RefusingServer_ParksTheEmailAfterMaxAttempts_AndCountsItInMetrics()
    {
        var story = OrderStory.NewCustomer("refuse");
        var order = Guid.CreateVersion7();

        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, OrderStory.Quote(50m)));

        await fixture.StepClockUntilAsync(async () => (await fixture.RowsAsync(story.Email)).Single().State == NotificationState.Parked,
            "the refused email is parked", TimeSpan.FromSeconds(1));
        var row = (await fixture.RowsAsync(story.Email)).Single();
        Assert.Equal(NotificationsHostFixture.MaxAttempts, row.Attempts);
        Assert.StartsWith("refused:", row.LastError);
        Assert.Empty(fixture.Smtp.To(story.Email));

        using var client = fixture.Host.CreateClient();
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("printflow_notifications_parked_total{kind=\"quote-ready\",reason=\"refused\"}", metrics);
        Assert.Contains("printflow_notifications_failed_total{kind=\"quote-ready\",reason=\"refused\"}", metrics);
    }

    [Fact]
    public async Task UnsubscribeLink_TurnsOffProductionAndDeliveryEmails_ButQuoteShippedAndRejectedStillArrive()
    {
        var story = OrderStory.NewCustomer();
        var first = Guid.CreateVersion7();
        await fixture.Services.DispatchAsync(Endpoint, story.Received(first));
        var link = (await ArrivedAsync(story.Email, 1))[0].Headers["List-Unsubscribe"]!.Trim().Trim('<', '>');
        var token = Uri.UnescapeDataString(new Uri(link).Query.Split("token=")[1]);
        var path = $"/notifications/preferences?token={Uri.EscapeDataString(token)}";

        using var client = fixture.Host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"unsubscribe\"", await page.Content.ReadAsStringAsync());
        using var posted = await client.PostAsync("/notifications/unsubscribe",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["action"] = "optional-off" }));
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var after = await client.GetStringAsync(posted.Headers.Location!.OriginalString);
        Assert.Contains("data-testid=\"preferences-saved\"", after);

        var order = Guid.CreateVersion7();
        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, OrderStory.Quote(70m)));
        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Printing, OrderStatus.ManufacturingApproved, 6));
        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Shipped, OrderStatus.Packed, 10,
            shipment: new Shipment("russian-post", "RA123", null, DateTimeOffset.UtcNow)));
        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Delivered, OrderStatus.Shipped, 11));
        await fixture.Services.DispatchAsync(Endpoint, story.Status(Guid.CreateVersion7(), OrderStatus.Rejected, OrderStatus.PriceCalculating, 3, reason: "Too big."));

        var emails = await ArrivedAsync(story.Email, 4);
        Assert.Equal(["order-received", "quote-ready", "rejected", "shipped"],
            emails.Select(m => m.Headers["X-PrintFlow-Kind"]).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(await fixture.RowsAsync(story.Email), r => r.Kind is MessageKind.InProduction or MessageKind.Delivered);
    }

    [Fact]
    public async Task OneClickUnsubscribe_FromAMailClient_TurnsOffOptionalEmails()
    {
        var story = OrderStory.NewCustomer();
        await fixture.Services.DispatchAsync(Endpoint, story.Received(Guid.CreateVersion7()));
        var link = (await ArrivedAsync(story.Email, 1))[0].Headers["List-Unsubscribe"]!.Trim().Trim('<', '>');

        using var client = fixture.Host.CreateClient();
        using var posted = await client.PostAsync(new Uri(link).PathAndQuery,
            new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);

        await fixture.Services.DispatchAsync(Endpoint, story.Status(Guid.CreateVersion7(), OrderStatus.Printing, OrderStatus.ManufacturingApproved, 6));
        await fixture.Services.DispatchAsync(Endpoint, story.Status(Guid.CreateVersion7(), OrderStatus.Cancelled, OrderStatus.Quoted, 4));
        await ArrivedAsync(story.Email, 2);
        Assert.DoesNotContain(await fixture.RowsAsync(story.Email), r => r.Kind == MessageKind.InProduction);
    }

    [Theory]
    [InlineData("not-a-token")]
    [InlineData("")]
    [InlineData("CfDJ8AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task PreferencesLink_WhenTamperedOrMissing_ShowsAClearPageAndChangesNothing(string token)
    {
        using var client = fixture.Host.CreateClient();
        using var page = await client.GetAsync($"/notifications/preferences?token={Uri.EscapeDataString(token)}");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"bad-token\"", html);
        Assert.Contains("This link is not valid", html); // the test client reads English

        using var posted = await client.PostAsync("/notifications/unsubscribe",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["action"] = "optional-off" }));
        Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
        Assert.Contains("\"code\":\"notifications.bad-token\"", await posted.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task PreferencesLink_WithAnotherCustomersTokenAltered_IsRefused()
    {
        var story = OrderStory.NewCustomer();
        await fixture.Services.DispatchAsync(Endpoint, story.Received(Guid.CreateVersion7()));
        var link = (await ArrivedAsync(story.Email, 1))[0].Headers["List-Unsubscribe"]!.Trim().Trim('<', '>');
        var token = Uri.UnescapeDataString(new Uri(link).Query.Split("token=")[1]);
        var flipped = token[..10] + (token[10] == 'A' ? 'B' : 'A') + token[11..];

        using var client = fixture.Host.CreateClient();
        using var page = await client.GetAsync($"/notifications/preferences?token={Uri.EscapeDataString(flipped)}");
        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        using var huge = await client.GetAsync($"/notifications/preferences?token={new string('A', 5000)}");
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
    }

    [Fact]
    public async Task CustomerChoosingEnglish_GetsTheNextEmailsInEnglish()
    {
        var story = OrderStory.NewCustomer();
        await fixture.Services.DispatchAsync(Endpoint, story.Received(Guid.CreateVersion7()));
        var link = (await ArrivedAsync(story.Email, 1))[0].Headers["List-Unsubscribe"]!.Trim().Trim('<', '>');
        var token = Uri.UnescapeDataString(new Uri(link).Query.Split("token=")[1]);
        using var client = fixture.Host.CreateClient();
        using var posted = await client.PostAsync("/notifications/unsubscribe",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["action"] = "language-en" }));
        posted.EnsureSuccessStatusCode();

        var order = Guid.CreateVersion7();
        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, OrderStory.Quote(99m)));
        var english = Kind(await ArrivedAsync(story.Email, 2), MessageKind.QuoteReady);
        Assert.Equal($"Order {OrderNumber.From(order)}: your quote is ready", english.Subject);
        Assert.StartsWith("<!DOCTYPE html><html lang=\"en\">", Html(english));
        Assert.Contains("Review and confirm the price", Html(english));
    }

    [Fact]
    public async Task Shipped_WithATrackingLinkThatIsNotHttpAndMarkupInTheName_KeepsTheNumberAndDropsTheLink()
    {
        var story = new OrderStory(OrderStory.NewCustomer().Customer with { Name = "<script>alert(1)</script>" });
        var order = Guid.CreateVersion7();
        await fixture.Services.DispatchAsync(Endpoint, story.Status(order, OrderStatus.Shipped, OrderStatus.Packed, 10,
            shipment: new Shipment("dhl", "JD0001", "javascript:alert(1)", DateTimeOffset.UtcNow)));

        var email = (await ArrivedAsync(story.Email, 1)).Single();
        Assert.Contains("JD0001", Html(email));
        Assert.DoesNotContain("javascript:", Html(email));
        Assert.DoesNotContain("<script>", Html(email));
        Assert.Contains("&lt;script&gt;", Html(email));
    }
}
