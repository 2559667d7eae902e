using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using PrintFlow.Mes;
using PrintFlow.Notifications;
using PrintFlow.ServiceDefaults;
using PrintFlow.Shop;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>
/// The whole buyer journey in Chromium with a Russian browser (ru-RU, no <c>?culture=</c>): quote two models, change
/// colour and quality, register and verify the email through a real SMTP server, order both, the factory makes and
/// ships the order (the operator's browser is Russian too), the carrier delivers, and the buyer orders again. Every
/// page on the way shows no English string of the resources and writes money and dates the Russian way.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class RussianJourneyBrowserTests : JourneyBrowserTest
{
    private const string Russian = "ru-RU";
    private static readonly Type[] Layout = [typeof(HostStrings), typeof(SharedStrings)];
    private static readonly Type[] ShopPage = [typeof(ShopStrings), .. Layout];
    private static readonly Type[] MesPage = [typeof(MesStrings), .. Layout];
    private static readonly LocatorAssertionsToHaveAttributeOptions SoonAttribute = new() { Timeout = 30_000 };

    [Fact]
    public async Task BuyerJourney_InARussianBrowser_ShowsNoEnglishFromTheFirstPriceToDeliveryAndReorder()
    {
        var page = await RussianPageAsync();
        await page.GotoAsync("/");
        Assert.Contains("<html lang=\"ru\"", await page.ContentAsync());
        await AssertRussianAsync(page, ShopPage);

        // Two models, both priced and previewed; colour and quality move the price.
        await Journey.UploadTwoModelsAsync(page);
        await Journey.PricedAsync(page);
        await Assertions.Expect(page.GetByTestId("model-preview")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("item-price")).ToHaveCountAsync(2);
        var cube = page.Locator("[data-testid=cart-item][data-file-name='cube.stl']");
        await Assertions.Expect(cube.GetByTestId("item-size")).ToContainTextAsync("40 × 40 × 40 мм");
        var black = await Journey.AmountAsync(cube);
        await cube.GetByTestId("item-colour").SelectOptionAsync("Red");
        var red = await Journey.NewAmountAsync(page, cube, black);
        Assert.True(red > black, $"Red {red} should cost more than black {black}.");
        await cube.GetByTestId("item-quality").SelectOptionAsync("Fine");
        var fine = await Journey.NewAmountAsync(page, cube, red);
        Assert.True(fine > red, $"Fine {fine} should cost more than standard {red}.");
        await AssertRussianAsync(page, ShopPage, money: true, date: true);

        // Registering brings the buyer back to the quote, which waits for the verified email.
        await page.GetByTestId("cart-register").ClickAsync();
        await AssertRussianAsync(page, ShopPage);
        var email = $"pokupatel-{Guid.NewGuid():N}@example.com";
        await page.FillAsync("input[name=displayName]", "Иван Покупатель");
        await page.FillAsync("input[name=email]", email);
        await page.FillAsync("input[name=password]", "correct-horse-battery");
        await page.ClickAsync("[data-testid=register-form] button[type=submit]");
        await Assertions.Expect(page.GetByTestId("checkout-verify")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("checkout-verify")).ToContainTextAsync("Подтвердите адрес электронной почты");
        await AssertRussianAsync(page, ShopPage, money: true);
        var cartUrl = page.Url;

        var verification = await Eventually.UntilAsync(
            () => Task.FromResult(Smtp.To(email) is { Count: > 0 } received ? received[0] : null), m => m is not null,
            $"the verification email reaches {email}");
        AssertRussianEmail(verification!);
        await page.GotoAsync(LinkIn(verification!, "/account/verify-email"));
        await AssertRussianAsync(page, ShopPage);
        await page.ClickAsync("[data-testid=verify-form] button[type=submit]");
        await Assertions.Expect(page.GetByTestId("verify-done")).ToBeVisibleAsync();
        await AssertRussianAsync(page, ShopPage);

        // The same quote becomes one order with both items.
        await page.GotoAsync(cartUrl);
        await Assertions.Expect(page.GetByTestId("checkout-form")).ToBeVisibleAsync();
        foreach (var (name, value) in TestAddresses.Checkout)
        {
            await page.GetByTestId($"address-{name}").FillAsync(value);
        }

        await page.GetByTestId("place-order").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-number")).ToHaveTextAsync(new Regex("^PF-"));
        var number = (await page.GetByTestId("order-number").TextContentAsync())!.Trim();
        await Assertions.Expect(page.GetByTestId("order-item")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Quoted", SoonAttribute);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Цена готова — ждём вашего подтверждения");
        await AssertRussianAsync(page, ShopPage, money: true, date: true);
        await page.GetByTestId("confirm-quote").ClickAsync();
        await page.WaitForFunctionAsync(
            "() => ['Confirmed', 'ManufacturingApproved'].includes(document.querySelector('[data-testid=order-status]')?.dataset.status)", null, Journey.Patience);

        // The factory, in Russian too: each step's sentence is Russian.
        var operatorPage = await WorkTheJobInRussianAsync(number, "1234567890");
        await AssertRussianAsync(operatorPage, MesPage);
        await Journey.OrderStatusAsync(page, "Shipped");
        await Journey.CarrierSaysDeliveredAsync(Host, "evt-russian-1", "1234567890");
        await Journey.OrderStatusAsync(page, "Delivered");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("order-item")).ToHaveCountAsync(2);
        await AssertRussianAsync(page, ShopPage, money: true, date: true);

        var emails = await Eventually.UntilAsync(
            () => Task.FromResult(Smtp.To(email).Where(m => (m.Subject ?? "").Contains(number, StringComparison.Ordinal)).ToList()),
            received => received.Count >= 5, $"five emails about {number} reach {email}");
        Assert.All(emails, AssertRussianEmail);

        // Order again: a new order, priced anew.
        await page.GetByTestId("reorder").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-number")).Not.ToHaveTextAsync(number);
        await Assertions.Expect(page.GetByTestId("order-item")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveAttributeAsync("data-status", "Quoted", SoonAttribute);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("quote-total")).ToBeVisibleAsync();
        await AssertRussianAsync(page, ShopPage, money: true, date: true);

        await page.GotoAsync("/orders");
        await AssertRussianAsync(page, ShopPage);
        await page.GotoAsync("/account");
        await AssertRussianAsync(page, ShopPage);
        await page.GetByTestId("email-settings-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("optional-state")).ToBeVisibleAsync();
        await AssertRussianAsync(page, [typeof(NotificationsStrings), .. Layout]);
    }

    /// <summary>The operator takes the job in a Russian browser, prints, checks, packs and ships it with CDEK.</summary>
    private async Task<IPage> WorkTheJobInRussianAsync(string orderNumber, string trackingNumber)
    {
        var page = await RussianPageAsync();
        await page.GotoAsync($"/login?returnUrl={Uri.EscapeDataString($"/mes?q={orderNumber}")}");
        await page.FillAsync("input[name=email]", Journey.Operator);
        await page.FillAsync("input[name=password]", "demo-password");
        await page.ClickAsync("[data-testid=login-form] button[type=submit]");
        await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();
        await Journey.WorkTheJobAsync(page, orderNumber, trackingNumber, async step =>
        {
            if (step == "Take")
            {
                await Assertions.Expect(page.GetByTestId("mes-message")).ToHaveTextAsync($"Вы взяли заказ {orderNumber}.");
            }
            else if (step is not ("Queue" or "Shipped"))
            {
                await Assertions.Expect(page.GetByTestId("mes-message")).ToContainTextAsync($"Заказ {orderNumber} переведён на этап");
            }

            if (step != "Take")
            {
                await AssertRussianAsync(page, MesPage);
            }
        });
        await page.GotoAsync("/mes/floor");
        await AssertRussianAsync(page, MesPage);
        return page;
    }

    private async Task<IPage> RussianPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Address.ToString(), Locale = Russian });
        return await context.NewPageAsync();
    }

    /// <summary>No English string of <paramref name="markers"/> on the page; money as "1 234,50 RUB" and dates as "06.12.2026" where asked.</summary>
    private static async Task AssertRussianAsync(IPage page, Type[] markers, bool money = false, bool date = false)
    {
        // The carriers' brand names (DHL Express) are names, the same in Russian, not English sentences.
        var html = CarrierChoice().Replace(await page.ContentAsync(), "");
        NoEnglish.AssertIn(html, markers);
        var text = NoEnglish.VisibleText(html);
        Assert.DoesNotMatch(EnglishMoney(), text);
        Assert.DoesNotMatch(EnglishDate(), text);
        if (money)
        {
            Assert.Matches(RussianMoney(), text);
        }

        if (date)
        {
            Assert.Matches(RussianDate(), text);
        }
    }

    private static void AssertRussianEmail(MimeMessage email)
    {
        Assert.Matches(Cyrillic(), email.Subject ?? "");
        var text = email.TextBody ?? "";
        Assert.Matches(Cyrillic(), text);
        foreach (var english in new[] { "Hello", "Open your order", "Confirm your email", "This email was sent automatically", "Reset your" })
        {
            Assert.DoesNotContain(english, text, StringComparison.Ordinal);
        }

        Assert.DoesNotMatch(EnglishMoney(), text);
    }

    private string LinkIn(MimeMessage email, string path)
    {
        var match = Regex.Match(email.TextBody ?? "", $@"https?://[^\s/]+({Regex.Escape(path)}\?token=[A-Za-z0-9_\-%]+)");
        Assert.True(match.Success, $"No {path} link in: {email.TextBody}");
        Assert.StartsWith(Address.GetLeftPart(UriPartial.Authority), match.Value, StringComparison.Ordinal);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"<select name=""carrier"".*?</select>", RegexOptions.Singleline)]
    private static partial Regex CarrierChoice();

    [GeneratedRegex(@"\d\.\d{2} [A-Z]{3}\b")]
    private static partial Regex EnglishMoney();

    [GeneratedRegex(@"\d,\d{2} [A-Z]{3}\b")]
    private static partial Regex RussianMoney();

    [GeneratedRegex(@"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b")]
    private static partial Regex EnglishDate();

    [GeneratedRegex(@"\b\d{2}\.\d{2}\.\d{4}\b")]
    private static partial Regex RussianDate();

    [GeneratedRegex(@"\p{IsCyrillic}")]
    private static partial Regex Cyrillic();
}
