using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PrintFlow.Contracts;
using PrintFlow.Geometry;
using PrintFlow.Messaging;
using PrintFlow.Pricing.Data;
using PrintFlow.Pricing.Exact;
using PrintFlow.SchemaTool;
using PrintFlow.ServiceDefaults.Migrations;

namespace PrintFlow.Migrations.Tests;

/// <summary>
/// Pricing's exact-pricing job and analysis cache hold their request and analysis as typed values (JsonColumn) in the
/// same text columns as before: on both providers they read back whole, and the columns hold the JSON written before
/// (the messaging serializer's for the request, the web defaults for the analysis), so rows already stored still read.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class PricingJsonColumnsTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    public static TheoryData<DatabaseProvider> Providers() => new(DatabaseProvider.Sqlite, DatabaseProvider.Postgres);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task JobAndCachedAnalysis_WhenSavedAndReadBack_KeepTheirValuesAndTheirJson(DatabaseProvider provider)
    {
        var pricing = ServiceSchemas.Find("pricing");
        await using var database = await TestDatabase.CreateAsync(provider, "pricing_json");
        await using (var connection = database.Connect())
        {
            await new SchemaMigrator(NullLogger.Instance).MigrateAsync(connection, provider, pricing.Migrations(provider), "pricing");
        }

        var item = new OrderItem(Guid.CreateVersion7(), new string('b', 64), "part.stl", 684, "PLA", 2);
        var request = new PriceRequested(Guid.CreateVersion7(), new CustomerRef("p-1", "Acme", "ops@acme.test", SalesChannel.Partner),
            [item], LeadTime.Express, 1, At);
        var analysis = new MeshAnalysis(ModelFormat.StlBinary, 12, 1000, 600, new BoundingBox(new(0, 0, 0), new(10, 10, 10)), 1, true, 0, true,
            1000, 0, 0, 0, true, null, []) { SideAreaMm2 = 400, FlatAreaMm2 = 200, BedContactAreaMm2 = 100 };
        await using (var db = (PricingDbContext)pricing.Create(provider, database.ConnectionString))
        {
            db.ExactJobs.Add(new ExactJob { EstimateQuoteId = Guid.CreateVersion7(), OrderId = request.OrderId, Request = request, CreatedAt = At });
            db.Analyses.Add(new CachedAnalysis { Sha256 = item.ModelSha256, AnalysisVersion = 1, Result = analysis, CreatedAt = At });
            await db.SaveChangesAsync();
        }

        await using (var db = (PricingDbContext)pricing.Create(provider, database.ConnectionString))
        {
            var job = await db.ExactJobs.SingleAsync();
            Assert.Equal((request.OrderId, LeadTime.Express, item), (job.Request.OrderId, job.Request.LeadTime, Assert.Single(job.Request.Items)));
            var cached = await db.Analyses.SingleAsync();
            Assert.Equal(analysis with { Warnings = cached.Result.Warnings }, cached.Result);
            Assert.Empty(cached.Result.Warnings);
        }

        Assert.Equal(MessageSerializer.Serialize(request), await database.ScalarAsync("SELECT \"RequestJson\" FROM exact_jobs"));
        Assert.Equal(JsonSerializer.Serialize(analysis, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            await database.ScalarAsync("SELECT \"ResultJson\" FROM analysis_cache"));
    }
}
