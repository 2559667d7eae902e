using System.Collections.Concurrent;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PrintFlow.LiveUpdates;

/// <summary>
/// In-process fan-out of "something changed" notices to open pages. A handler calls <see cref="Notify"/> after its
/// change committed; every page subscribed to the topic gets a server-sent event and re-fetches its fragment.
/// A notice carries no data, so a missed one is repaired by the next (and by the page's refresh on reconnect).
/// </summary>
public sealed class LiveFeed(Microsoft.Extensions.Hosting.IHostApplicationLifetime? lifetime = null)
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Channel<string>, byte>> _topics = new(StringComparer.Ordinal);
    private ILiveFeedBackplane? _backplane;

    public int SubscriberCount(string topic) => _topics.TryGetValue(topic, out var subscribers) ? subscribers.Count : 0;

    /// <summary>
    /// With several instances of a service, the one that handled a message is rarely the one holding the page's
    /// stream: a backplane then carries every notice to every instance (itself included), which delivers it.
    /// </summary>
    public void UseBackplane(ILiveFeedBackplane backplane) => _backplane = backplane;

    public void Notify(string topic, string data = "changed")
    {
        if (_backplane is { } backplane)
        {
            backplane.Publish(topic, data);
            return;
        }

        Deliver(topic, data);
    }

    /// <summary>Hands a notice to the pages of this process only.</summary>
    public void Deliver(string topic, string data)
    {
        if (_topics.TryGetValue(topic, out var subscribers))
        {
            foreach (var channel in subscribers.Keys)
            {
                channel.Writer.TryWrite(data);
            }
        }
    }

    public async IAsyncEnumerable<SseItem<string>> SubscribeAsync(string topic, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // A slow page keeps only the latest notices: they all mean "re-fetch".
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(8) { FullMode = BoundedChannelFullMode.DropOldest });
        var subscribers = _topics.GetOrAdd(topic, _ => new ConcurrentDictionary<Channel<string>, byte>());
        subscribers.TryAdd(channel, 0);
        try
        {
            yield return new SseItem<string>("connected", "ready");
            await foreach (var data in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return new SseItem<string>(data) { ReconnectionInterval = TimeSpan.FromSeconds(1) };
            }
        }
        finally
        {
            subscribers.TryRemove(channel, out _);
        }
    }

    /// <summary>The endpoint result for a page's event stream.</summary>
    public ServerSentEventsResult<string> Stream(string topic, HttpContext http) =>
        TypedResults.ServerSentEvents(StreamUntilStoppingAsync(topic, http.RequestAborted));

    // An open page must not hold the host's shutdown for its whole timeout: streams end when the application stops.
    private async IAsyncEnumerable<SseItem<string>> StreamUntilStoppingAsync(string topic, [EnumeratorCancellation] CancellationToken requestAborted)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, lifetime?.ApplicationStopping ?? CancellationToken.None);
        var items = SubscribeAsync(topic, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                try
                {
                    if (!await items.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (OperationCanceledException)
                {
                    yield break;
                }

                yield return items.Current;
            }
        }
        finally
        {
            await items.DisposeAsync();
        }
    }
}
