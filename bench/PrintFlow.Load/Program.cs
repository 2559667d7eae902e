using System.Globalization;
using System.Net;
using PrintFlow.Load;

// printflow-load: drives the real Partner API and reports what happened to every order (see LoadOptions.Usage).
switch (args)
{
    case ["sink", .. var rest]:
        return await Sink.RunAsync(rest);
    case ["verify", .. var rest]:
        return Verify.Run(rest);
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var http = new HttpClient(new SocketsHttpHandler
{
    MaxConnectionsPerServer = 256,
    PooledConnectionLifetime = TimeSpan.FromMinutes(1),
    AutomaticDecompression = DecompressionMethods.None,
})
{
    BaseAddress = options.BaseUrl,
    Timeout = TimeSpan.FromSeconds(30),
};
http.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
if (options.WebhookUrl is { } hook && !await Webhooks.RegisterAsync(http, hook, options.WebhookSecretFile, cancel.Token))
{
    return 1;
}

var shopRun = options.ShopOrders > 0
    ? new ShopRun(options, Console.Out).ExecuteAsync(TorusModel.Create(options.Triangles, 900_000), cancel.Token)
    : Task.FromResult<IReadOnlyList<ShopRun.ShopOrder>>([]);
var orders = await new LoadRun(options, http, Console.Out).ExecuteAsync(cancel.Token);
var shopOrders = await shopRun;
if (options.ShopOutFile is { } shopPath)
{
    await File.WriteAllLinesAsync(shopPath, shopOrders.Select(o => $"{o.Id}\t{o.Status}"));
}
var report = LoadReport.Of(orders, options);
report.Print(Console.Out);
if (options.OutFile is { } path)
{
    await File.WriteAllLinesAsync(path, orders.Select(o => string.Join('\t',
        o.Index, o.Id, o.SubmittedAt.ToString("O", CultureInfo.InvariantCulture), o.Status,
        o.ReachedAt?.ToString("O", CultureInfo.InvariantCulture), o.SubmitAttempts, o.SubmitError?.ReplaceLineEndings(" ").Replace('\t', ' '),
        o.Versions)));
}

return report.Lost == 0 ? 0 : 1;
