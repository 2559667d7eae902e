using System.Globalization;
using System.Net;
using System.Text.Json;
using PrintFlow.Crm;
using PrintFlow.Mes;
using PrintFlow.Ordering;
using PrintFlow.ServiceDefaults;
using PrintFlow.ServiceDefaults.Localization;
using PrintFlow.Shop;
using PrintFlow.Testing;

namespace PrintFlow.Host.Tests;

/// <summary>Russian (the default) and English: pages, the remembered switch, problem sentences, and refusals of bad input.</summary>
public sealed class LocalisationTests(PrintFlowHostFixture fixture) : IClassFixture<PrintFlowHostFixture>
{
    private static readonly Type[] Layout = [typeof(HostStrings), typeof(SharedStrings)];

    private PrintFlowHost Host => fixture.Host;

    [Fact]
    public async Task ShopPages_InRussian_ShowNoEnglishText()
    {
        using var visitor = Russian(WebSession.Open(Host));
        NoEnglish.AssertIn(await visitor.GetPageAsync("/"), [typeof(ShopStrings), .. Layout]);
        NoEnglish.AssertIn(await visitor.GetPageAsync("/login"), [typeof(ShopStrings), .. Layout]);
        NoEnglish.AssertIn(await visitor.GetPageAsync("/register"), [typeof(ShopStrings), .. Layout]);

        using var customer = Russian(WebSession.Open(Host));
        await customer.RegisterAsync("Иван Петров");
        var storefront = await customer.GetPageAsync("/");
        Assert.Contains("<html lang=\"ru\"", storefront, StringComparison.Ordinal);
        NoEnglish.AssertIn(storefront, [typeof(ShopStrings), .. Layout]);
        NoEnglish.AssertIn(await customer.GetPageAsync("/orders"), [typeof(ShopStrings), .. Layout]);
        NoEnglish.AssertIn(await customer.GetPageAsync("/?error=upload.bad-quantity&error=upload.too-large"), [typeof(ShopStrings), .. Layout]);
    }

    [Fact]
    public async Task StaffPages_InRussian_ShowNoEnglishText()
    {
        using var supervisor = Russian(WebSession.Open(Host));
        await supervisor.SignInAsync("supervisor@printflow.local");
        foreach (var path in new[] { "/mes", "/mes/me", "/mes/skills", "/mes/floor", "/mes/floor?retired=1", "/mes/printers/new" })
        {
            NoEnglish.AssertIn(await supervisor.GetPageAsync(path), [typeof(MesStrings), .. Layout]);
        }

        var ops = await supervisor.GetPageAsync("/ops?order=PF-NOSUCH");
        Assert.Contains("data-testid=\"ops-throughput-chart\"", ops);
        NoEnglish.AssertIn(ops, [typeof(OrderingStrings), .. Layout]);

        using var sales = Russian(WebSession.Open(Host));
        await sales.SignInAsync("sales@printflow.local");
        // Searched for nobody: customers' names (data, in any language) stay off the page; the headings and menus are checked.
        NoEnglish.AssertIn(await sales.GetPageAsync("/crm?q=zz-no-such-customer"), [typeof(CrmStrings), .. Layout]);
    }

    [Fact]
    public async Task NotificationPreferences_InRussian_ShowNoEnglishText()
    {
        using var customer = Russian(WebSession.Open(Host));
        await customer.RegisterAsync("Анна Письмова");
        using var mine = await customer.Client.GetAsync(PrintFlow.Notifications.Endpoints.PreferenceEndpoints.MinePath);
        var location = mine.Headers.Location!.OriginalString;

        var page = await customer.GetPageAsync(location);

        Assert.Contains("data-testid=\"optional-state\"", page);
        NoEnglish.AssertIn(page, [typeof(PrintFlow.Notifications.NotificationsStrings), .. Layout]);
        using var forged = await customer.Client.GetAsync("/notifications/preferences?token=forged");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        NoEnglish.AssertIn(await forged.Content.ReadAsStringAsync(), [typeof(PrintFlow.Notifications.NotificationsStrings), .. Layout]);
    }

    [Fact]
    public async Task MesRefusal_InRussian_IsARussianSentence()
    {
        using var supervisor = Russian(WebSession.Open(Host));
        await supervisor.SignInAsync("supervisor@printflow.local");
        var form = await supervisor.GetPageAsync("/mes/printers/new");

        using var refused = await supervisor.PostFormAsync("/mes/printers", WebSession.TokenIn(form),
            ("returnUrl", "/mes/printers/new"), ("name", "P1"), ("technology", "FDM"), ("buildX", "много"), ("buildY", "200"), ("buildZ", "200"),
            ("baseUrl", "http://192.168.1.20"), ("apiKey", "key"));

        var page = await supervisor.GetPageAsync(refused.Headers.Location!.OriginalString);
        Assert.Equal("Укажите область печати тремя числами в мм (X, Y, Z).", WebSession.TextOf(page, "mes-message"));
        NoEnglish.AssertIn(page, [typeof(MesStrings), .. Layout]);
    }

    [Fact]
    public async Task NoEnglishCheck_OnAnEnglishPage_NamesTheEnglishStrings()
    {
        using var visitor = WebSession.Open(Host);
        var english = await visitor.GetPageAsync("/register");

        var failure = Assert.ThrowsAny<Exception>(() => NoEnglish.AssertIn(english, [typeof(ShopStrings), .. Layout]));

        Assert.Contains("Register.Submit: \"Create account\"", failure.Message);
        Assert.Contains("Nav.SignIn", failure.Message);
    }

    [Fact]
    public async Task Page_WithoutAcceptLanguage_IsRussian()
    {
        using var client = Host.CreateClient();
        client.DefaultRequestHeaders.AcceptLanguage.Clear();

        var page = WebUtility.HtmlDecode(await client.GetStringAsync("/login"));

        Assert.Contains("<html lang=\"ru\">", page);
        Assert.Contains("<h1>Вход</h1>", page);
    }

    [Fact]
    public async Task LanguageSwitch_WhenChosen_IsRememberedOverTheBrowserLanguage()
    {
        using var person = RawSession.Over(Host); // its browser asks for English

        using var toRussian = await person.GetAsync("/culture?culture=ru&returnUrl=%2Fregister%3Ferror%3Dregister.missing-name");

        Assert.Equal(HttpStatusCode.Redirect, toRussian.StatusCode);
        Assert.Equal("/register?error=register.missing-name", toRussian.Headers.Location!.OriginalString);
        var cookie = person.SetCookie(".AspNetCore.Culture")!;
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        using (var page = await person.GetAsync("/register?error=register.missing-name"))
        {
            var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());
            Assert.Contains("Введите ваше имя.", html);
            NoEnglish.AssertIn(html, [typeof(ShopStrings), .. Layout]);
        }

        using var toEnglish = await person.GetAsync("/culture?culture=en&returnUrl=%2Flogin");
        using var english = await person.GetAsync("/login");
        Assert.Contains("<h1>Sign in</h1>", await english.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LanguageSwitch_IsOnEveryPageAndComesBackToIt()
    {
        using var visitor = WebSession.Open(Host);

        var page = WebUtility.HtmlDecode(await visitor.GetPageAsync("/register?error=register.invalid-email"));

        Assert.Contains("href=\"/culture?culture=ru&returnUrl=%2Fregister%3Ferror%3Dregister.invalid-email\"", page);
    }

    [Theory]
    [InlineData("xx-YY")]
    [InlineData("../../etc/passwd")]
    [InlineData("")]
    public async Task CultureSwitch_WhenCultureIsUnknown_RefusesWithoutACookie(string culture)
    {
        using var person = RawSession.Over(Host);

        using var response = await person.GetAsync($"/culture?culture={Uri.EscapeDataString(culture)}&returnUrl=%2F");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(PrintFlowLocalization.UnknownCultureCode, (await ProblemAsync(response)).GetProperty("code").GetString());
        Assert.Null(person.SetCookie(".AspNetCore.Culture"));
    }

    [Fact]
    public async Task CultureQuery_WhenCultureIsUnknownOrHuge_IsIgnoredAndThePageServed()
    {
        using var client = Host.CreateClient();

        var unknown = await client.GetStringAsync("/login?culture=xx-YY&ui-culture=zz");
        var huge = await client.GetStringAsync($"/login?culture={new string('a', 4000)}");

        Assert.Contains("<h1>Sign in</h1>", unknown); // Accept-Language (en) decides
        Assert.Contains("<h1>Sign in</h1>", huge);
        Assert.Contains("<h1>Вход</h1>", WebUtility.HtmlDecode(await client.GetStringAsync("/login?culture=ru")));
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("javascript:alert(1)")]
    public async Task CultureSwitch_WhenReturnUrlLeavesTheSite_Refuses(string returnUrl)
    {
        using var person = RawSession.Over(Host);

        using var response = await person.GetAsync($"/culture?culture=ru&returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal(PrintFlowLocalization.ReturnUrlNotLocalCode, (await ProblemAsync(response)).GetProperty("code").GetString());
        Assert.Null(person.SetCookie(".AspNetCore.Culture"));
    }

    [Fact]
    public async Task PartnerApiProblem_InRussian_HasARussianDetailAndTheSameCode()
    {
        using var client = Host.CreateClient();
        using var russian = new HttpRequestMessage(HttpMethod.Get, "/api/partners/v1/orders");
        russian.Headers.AcceptLanguage.ParseAdd("ru-RU");
        using var english = new HttpRequestMessage(HttpMethod.Get, "/api/partners/v1/orders");
        english.Headers.AcceptLanguage.Clear();
        english.Headers.AcceptLanguage.ParseAdd("en-GB");

        var inRussian = await ProblemAsync(await client.SendAsync(russian));
        var inEnglish = await ProblemAsync(await client.SendAsync(english));

        Assert.Equal("auth.api-key-missing", inRussian.GetProperty("code").GetString());
        Assert.Equal("auth.api-key-missing", inEnglish.GetProperty("code").GetString());
        Assert.Equal("Передайте ключ API партнёра в заголовке X-Api-Key.", inRussian.GetProperty("detail").GetString());
        Assert.Equal("Нужно войти в систему.", inRussian.GetProperty("title").GetString());
        Assert.Equal("Send your partner API key in the X-Api-Key header.", inEnglish.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Navigation_ForACustomer_ShowsNoStaffLinks()
    {
        using var customer = WebSession.Open(Host);
        await customer.RegisterAsync();
        using var supervisor = WebSession.Open(Host);
        await supervisor.SignInAsync("supervisor@printflow.local");

        var customerPage = await customer.GetPageAsync("/orders");
        var supervisorPage = await supervisor.GetPageAsync("/mes");

        Assert.Contains("data-testid=\"nav-orders\"", customerPage);
        foreach (var staffOnly in new[] { "nav-mes", "nav-crm", "nav-ops", "href=\"/mes\"", "href=\"/crm\"", "href=\"/ops\"" })
        {
            Assert.DoesNotContain(staffOnly, customerPage);
        }

        Assert.Contains("data-testid=\"nav-mes\"", supervisorPage);
        Assert.Contains("data-testid=\"nav-ops\"", supervisorPage);
        Assert.DoesNotContain("data-testid=\"nav-crm\"", supervisorPage);
        Assert.DoesNotContain("data-testid=\"nav-orders\"", supervisorPage);
    }

    [Fact]
    public void OrderStatusWords_ForEveryStatus_AreSentencesInBothLanguagesNeverTheInternalName()
    {
        foreach (var culture in new[] { "en-US", "ru-RU" })
        {
            using var _ = new CultureScope(culture);
            foreach (var status in Enum.GetValues<PrintFlow.Contracts.OrderStatus>())
            {
                var customer = OrderStatusWords.ForCustomer(status);
                Assert.False(customer.StartsWith("Customer.", StringComparison.Ordinal), $"{status} has no customer sentence in {culture}");
                Assert.False(OrderStatusWords.ForOperator(status).StartsWith("Operator.", StringComparison.Ordinal), $"{status} has no operator word in {culture}");
                if (status.ToString().Skip(1).Any(char.IsUpper))
                {
                    Assert.NotEqual(status.ToString(), customer); // PriceCalculating, ManufacturingApproved, … never on a page
                }
            }
        }

        using (new CultureScope("en-US"))
        {
            Assert.Equal("Calculating your price", OrderStatusWords.ForCustomer(PrintFlow.Contracts.OrderStatus.PriceCalculating));
            Assert.Equal("In the production queue", OrderStatusWords.ForCustomer(PrintFlow.Contracts.OrderStatus.ManufacturingApproved));
        }
    }

    [Fact]
    public void ColourNames_OfThePriceList_AreTheReadersWordsAndAnUnknownColourAsWritten()
    {
        var russian = CultureInfo.GetCultureInfo("ru-RU");
        var english = CultureInfo.GetCultureInfo("en-US");
        Assert.Equal("Чёрный", ColourNames.Of("Black", russian));
        Assert.Equal("Золотой шёлк", ColourNames.Of("Silk gold", russian));
        Assert.Equal("Black", ColourNames.Of("Black", english));
        Assert.Equal("Fluo pink", ColourNames.Of("Fluo pink", russian)); // a supervisor's own spool name

        var surcharge = new PrintFlow.Contracts.QuoteLine("cube.stl: Silk gold colour, 1.50 EUR per part × 2", 3m, "colour", ["cube.stl", "Silk gold", "EUR"], [1.5m, 2m]);
        Assert.Equal("cube.stl: цвет «Золотой шёлк», 1,50 EUR за деталь × 2", QuoteLineText.Of(surcharge, russian));
        Assert.Equal("cube.stl: Silk gold colour, 1.50 EUR per part × 2", QuoteLineText.Of(surcharge, english));
    }

    [Fact]
    public void Money_IsWrittenInTheReadersCultureWithThePriceListsCurrency()
    {
        using (new CultureScope("en-US"))
        {
            Assert.Equal("1,234.50 EUR", Formats.Money(1234.5m, "EUR"));
        }

        using (new CultureScope("ru-RU"))
        {
            Assert.Equal("1\u00a0234,50 RUB", Formats.Money(1234.5m, "rub"));
            Assert.Equal("06.12.2026 15:04 UTC", Formats.Utc(new DateTimeOffset(2026, 12, 6, 15, 4, 0, TimeSpan.Zero)));
        }
    }

    private static WebSession Russian(WebSession session)
    {
        session.Client.DefaultRequestHeaders.AcceptLanguage.Clear();
        session.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ru-RU");
        session.Client.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ru;q=0.9");
        return session;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
    }

    private sealed class CultureScope : IDisposable
    {
        private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
        private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

        public CultureScope(string name) => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(name);

        public void Dispose()
        {
            CultureInfo.CurrentCulture = _culture;
            CultureInfo.CurrentUICulture = _uiCulture;
        }
    }
}
