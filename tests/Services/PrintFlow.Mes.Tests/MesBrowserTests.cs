using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PrintFlow.Contracts;
using PrintFlow.Mes.Tests.Support;
using PrintFlow.Mes.Work;
using PrintFlow.Testing;

namespace PrintFlow.Mes.Tests;

/// <summary>An operator's shift in Chromium: filters and search, take-next, a job's whole path, new-job notifications.</summary>
[Trait("Category", "Browser")]
public sealed partial class MesBrowserTests : BrowserTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Host.ReadyAsync();
    }

    private static ILocator Row(IPage page, ManufacturingRequested request) =>
        page.Locator($"[data-testid='mes-job-row'][data-order-number='{OrderNumber.From(request.OrderId)}']");

    private static ILocator Rows(IPage page) => page.GetByTestId("mes-job-row");

    [Fact]
    public async Task Filters_WhenChosenOrSearched_NarrowTheQueueAndStayInTheUrl()
    {
        var resinExpress = Jobs.Request(leadTime: LeadTime.Express, material: "Resin", customer: "Grace Hopper", channel: SalesChannel.Partner);
        var plaStandard = Jobs.Request(material: "PLA", customer: "Alan Turing");
        var petgPrinting = Jobs.Request(material: "PETG", customer: "Ada Lovelace");
        foreach (var request in new[] { resinExpress, plaStandard, petgPrinting })
        {
            await Host.DispatchAsync(request);
        }

        var sam = await Host.AccountIdAsync(Browserless.Supervisor);
        var printing = await Host.JobAsync(petgPrinting.OrderId);
        await Host.TakeAndStepAsync(printing.JobId, sam, JobAction.StartPrinting);
        var page = await SignedInPageAsync(Browserless.Supervisor, "/mes");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(3);

        await page.GetByLabel("Material").SelectOptionAsync("Resin");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("material=Resin"));
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, resinExpress)).ToBeVisibleAsync();

        await page.GotoAsync("/mes?priority=Standard");
        await Assertions.Expect(page.GetByLabel("Priority")).ToHaveValueAsync("Standard");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(2);
        await page.GetByLabel("Channel").SelectOptionAsync("Partner");
        await page.GetByLabel("Priority").SelectOptionAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("channel=Partner"));
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, resinExpress)).ToBeVisibleAsync();

        await page.GotoAsync("/mes");
        await page.GetByTestId("stage-count-Printing").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("stage=Printing"));
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, petgPrinting).GetByTestId("job-stage")).ToHaveAttributeAsync("data-stage", "Printing");

        await page.GotoAsync("/mes");
        await page.GetByTestId("mes-search").FillAsync("turing");
        await page.GetByTestId("mes-search").PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=turing"));
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, plaStandard)).ToBeVisibleAsync();

        var number = OrderNumber.From(resinExpress.OrderId);
        await page.GetByTestId("mes-search").FillAsync(number);
        await page.GetByTestId("mes-search").PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=" + number));
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, resinExpress)).ToBeVisibleAsync();
        // The live fragment keeps the same filter, so a refresh does not widen the list again.
        await Assertions.Expect(page.GetByTestId("mes-queue-live")).ToHaveAttributeAsync("data-live-src", "/mes/queue/fragment?q=" + number);
    }

    [Fact]
    public async Task TakeNext_WhenClicked_TakesTheMostUrgentJobInAMaterialTheOperatorRuns()
    {
        var petgExpress = Jobs.Request(leadTime: LeadTime.Express, material: "PETG", customer: "Petg Express");
        var resinStandard = Jobs.Request(material: "Resin", customer: "Resin Standard");
        await Host.DispatchAsync(petgExpress);
        await Host.DispatchAsync(resinStandard);
        var page = await SignedInPageAsync(Browserless.Operator2, "/mes");
        await Assertions.Expect(page.GetByTestId("my-skills")).ToHaveTextAsync("PLA, Resin");

        await page.GetByTestId("take-next").ClickAsync();

        var number = OrderNumber.From(resinStandard.OrderId);
        await Assertions.Expect(page.GetByTestId("mes-message")).ToHaveTextAsync($"You took order {number}.");
        await Assertions.Expect(Row(page, resinStandard).Locator("td").Nth(7)).ToHaveTextAsync("Oscar Operator");
        await Assertions.Expect(Row(page, petgExpress).GetByTestId("job-action-Take")).ToBeVisibleAsync();

        await page.GetByTestId("take-next").ClickAsync();
        await Assertions.Expect(page.GetByTestId("mes-message")).ToContainTextAsync("none you can run: they need PETG");
    }

    [Fact]
    public async Task JobPage_WhenAJobGoesTheWholeWayWithAReprint_ShowsEveryStepWithWhoAndWhen()
    {
        var request = Jobs.Request(customer: "Whole Way");
        await Host.DispatchAsync(request);
        var job = await Host.JobAsync(request.OrderId);
        var page = await SignedInPageAsync(Browserless.Operator, $"/mes/jobs/{job.JobId}");
        var stage = page.GetByTestId("job-stage");

        async Task StepAsync(string action, string expectedStage)
        {
            await page.GetByTestId(action).ClickAsync();
            await Assertions.Expect(stage).ToHaveAttributeAsync("data-stage", expectedStage);
        }

        await page.GetByTestId("job-action-Take").ClickAsync();
        await Assertions.Expect(page.GetByTestId("job-assignee")).ToHaveTextAsync("Olivia Operator");
        await StepAsync("job-action-Printing", "Printing");
        await StepAsync("job-action-PostProcessing", "PostProcessing");
        await StepAsync("job-action-QualityCheck", "QualityCheck");
        await page.GetByTestId("qc-fail-reason").FillAsync("layer shift on the left side");
        await StepAsync("job-action-QcFail", "Printing");
        await StepAsync("job-action-PostProcessing", "PostProcessing");
        await StepAsync("job-action-QualityCheck", "QualityCheck");
        await StepAsync("job-action-Packed", "Packed");
        await page.GetByTestId("ship-carrier").SelectOptionAsync("cdek");
        await page.GetByTestId("ship-tracking").FillAsync("1234567890");
        await StepAsync("job-action-Shipped", "Shipped");
        await Assertions.Expect(page.GetByTestId("job-tracking")).ToHaveTextAsync("1234567890");

        var steps = page.GetByTestId("job-history-step").Filter(new() { Has = page.Locator("xpath=self::*[@data-kind='Stage']") });
        await Assertions.Expect(steps).ToHaveCountAsync(9);
        var expected = new[]
        {
            "ManufacturingApproved", "Printing", "PostProcessing", "QualityCheck", "Printing", "PostProcessing", "QualityCheck", "Packed", "Shipped",
        };
        for (var i = 0; i < expected.Length; i++)
        {
            var step = steps.Nth(i);
            await Assertions.Expect(step).ToHaveAttributeAsync("data-stage", expected[i]);
            await Assertions.Expect(step.Locator("td").Nth(2)).ToHaveTextAsync(i == 0 ? "PrintFlow" : "Olivia Operator");
            await Assertions.Expect(step.Locator("td").Nth(3)).ToHaveTextAsync(WhenPattern());
        }

        await Assertions.Expect(steps.Nth(4).Locator("td").Nth(4)).ToHaveTextAsync("layer shift on the left side");
        await Assertions.Expect(page.Locator("[data-testid='job-history-step'][data-kind='Taken'] td").Nth(2)).ToHaveTextAsync("Olivia Operator");
    }

    [Fact]
    public async Task Dashboard_WhenANewJobArrivesWhileOpen_ShowsItAndANotificationWithoutReloadAndBeepsIfSoundIsOn()
    {
        var page = await SignedInPageAsync(Browserless.Operator, "/mes");
        var sound = page.GetByTestId("mes-sound");
        await Assertions.Expect(sound).Not.ToBeCheckedAsync();
        await sound.CheckAsync();
        await page.ReloadAsync();
        // The choice is remembered by this browser.
        await Assertions.Expect(page.GetByTestId("mes-sound")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("[data-live-connected='1']")).ToHaveCountAsync(1);
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        var request = Jobs.Request(leadTime: LeadTime.Express, material: "PLA", customer: "Toast Customer");
        await Host.DispatchAsync(request);

        var number = OrderNumber.From(request.OrderId);
        await Assertions.Expect(Row(page, request)).ToBeVisibleAsync();
        var toast = page.Locator($"[data-testid='mes-toast'][data-order-number='{number}']");
        await Assertions.Expect(toast).ToHaveTextAsync(new Regex($"^New job {number} \\(Express, PLA\\)"));
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-mes-beeps", new Regex("^[1-9]"));
        Assert.Equal(0, navigations);

        await toast.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).ClickAsync();
        await Assertions.Expect(toast).ToHaveCountAsync(0);
    }

    [GeneratedRegex(@"^\d{1,2}[./]\d{1,2}[./]\d{4} \d{2}:\d{2} UTC$")]
    private static partial Regex WhenPattern();
}
