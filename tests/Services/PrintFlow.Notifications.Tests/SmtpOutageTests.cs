using PrintFlow.Contracts;
using PrintFlow.Notifications.Domain;
using PrintFlow.Testing;

namespace PrintFlow.Notifications.Tests;

/// <summary>The mail server is down when the event arrives and comes back later.</summary>
public sealed class SmtpOutageTests(SmtpDownAtStartFixture fixture) : IClassFixture<SmtpDownAtStartFixture>
{
    [Fact]
    public async Task SmtpDownThenUp_RetriesWithDoublingWaits_AndDeliversOnce()
    {
        var story = OrderStory.NewCustomer();
        var order = Guid.CreateVersion7();
        await fixture.Services.DispatchAsync("notifications", story.Status(order, OrderStatus.Quoted, OrderStatus.PriceCalculating, 3, OrderStory.Quote(300m)));

        // First attempt at once (the stored email wakes the sender); it fails, and the next waits 1 s, then 2 s.
        var first = await Eventually.UntilAsync(async () => (await fixture.RowsAsync(story.Email)).SingleOrDefault(),
            r => r?.Attempts == 1, "the first attempt fails");
        Assert.Equal(TimeSpan.FromSeconds(1), first!.NextAttemptAt - first.LastAttemptAt);
        Assert.StartsWith("unreachable:", first.LastError);
        await fixture.StepClockUntilAsync(async () => (await fixture.RowsAsync(story.Email)).Single().Attempts == 2, "the second attempt fails");
        var second = (await fixture.RowsAsync(story.Email)).Single();
        Assert.Equal(TimeSpan.FromSeconds(2), second.NextAttemptAt - second.LastAttemptAt);
        Assert.Equal(NotificationState.Pending, second.State);

        await fixture.Smtp.StartAsync();
        await fixture.StepClockUntilAsync(async () => (await fixture.RowsAsync(story.Email)).Single().State == NotificationState.Sent, "the email is sent");

        var sent = (await fixture.RowsAsync(story.Email)).Single();
        Assert.Equal(3, sent.Attempts);
        Assert.Single(fixture.Smtp.To(story.Email));
        Assert.True(sent.LastAttemptAt >= second.NextAttemptAt, "the third attempt waited for its back-off");
    }
}
