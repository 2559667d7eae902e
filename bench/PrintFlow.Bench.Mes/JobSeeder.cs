using Npgsql;

namespace PrintFlow.Bench.Mes;

/// <summary>
/// Fills the MES schema (created by the service's own initializer) with N jobs in one INSERT … SELECT over
/// generate_series per table: no row-by-row round trips. Ids grow with time, like real jobs: the oldest are
/// delivered (1 % cancelled), then the shipped ones, then those in progress, and the newest wait to be taken.
/// </summary>
public static class JobSeeder
{
    public sealed record Shape(int Jobs, int Waiting, int Taken, int Printing, int PostProcessing, int QualityCheck, int Packed, int Shipped)
    {
        public static Shape For(int jobs) => new(
            jobs,
            Waiting: Math.Max(100, jobs / 200),
            Taken: Math.Max(10, jobs / 5000),
            Printing: Math.Max(10, jobs / 4000),
            PostProcessing: Math.Max(5, jobs / 10000),
            QualityCheck: Math.Max(5, jobs / 20000),
            Packed: Math.Max(5, jobs / 10000),
            Shipped: Math.Max(20, jobs / 50));
    }

    public const int Operators = 200;

    public static async Task SeedAsync(string connectionString, Shape shape, Action<string> say)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        async Task RunAsync(string what, string sql)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
            var rows = await command.ExecuteNonQueryAsync();
            say($"   {what}: {rows} rows in {started.Elapsed.TotalSeconds:0.0} s");
        }

        // Stage boundaries by id, newest last: (… delivered/cancelled] (shipped] (packed] (qc] (post] (printing] (taken] (waiting].
        var n = shape.Jobs;
        var waitingFrom = n - shape.Waiting;
        var takenFrom = waitingFrom - shape.Taken;
        var printingFrom = takenFrom - shape.Printing;
        var postFrom = printingFrom - shape.PostProcessing;
        var qcFrom = postFrom - shape.QualityCheck;
        var packedFrom = qcFrom - shape.Packed;
        var shippedFrom = packedFrom - shape.Shipped;

        await RunAsync("operators", $"""
            INSERT INTO mes_accounts ("Id", "Email", "Name", "Role", "PasswordHash", "Skills", "LoadVersion")
            SELECT md5('operator' || o)::uuid, 'bench-operator-' || o || '@printflow.local', 'Bench Operator ' || o, 'operator', '',
                   CASE WHEN o % 4 = 0 THEN 'PLA,Resin' ELSE 'PLA,PETG,ABS' END, 0
            FROM generate_series(1, {Operators}) AS o
            """);

        await RunAsync("jobs", $"""
            INSERT INTO mes_jobs ("JobId", "OrderId", "OrderNumber", "CustomerName", "Channel", "LeadTime", "Priority", "DueDate", "DueBy",
                "QuoteTotal", "Currency", "CreatedAt", "Stage", "QueueRank", "Sequence", "StageChangedAt",
                "AssignedToId", "AssignedToName", "AssignedAt", "CancelReason", "Version")
            SELECT j.job_id, j.order_id, 'PF-' || upper(right(replace(j.order_id::text, '-', ''), 10)), j.customer, j.channel, j.lead_time,
                   j.priority, j.due_date, coalesce(j.due_date, j.created + CASE WHEN j.priority = 0 THEN interval '3 days' ELSE interval '10 days' END),
                   (12 + j.g % 300) + 0.5, 'EUR', j.created, j.stage,
                   CASE WHEN j.stage = 'ManufacturingApproved' AND j.operator IS NULL THEN 0
                        WHEN j.stage = 'Delivered' THEN 2 WHEN j.stage = 'Cancelled' THEN 3 ELSE 1 END,
                   CASE j.stage WHEN 'ManufacturingApproved' THEN 1 WHEN 'Printing' THEN 2 WHEN 'PostProcessing' THEN 3
                        WHEN 'QualityCheck' THEN 4 WHEN 'Packed' THEN 5 WHEN 'Shipped' THEN 6 WHEN 'Delivered' THEN 7 ELSE 0 END,
                   j.created + interval '5 hours',
                   CASE WHEN j.operator IS NULL THEN NULL ELSE md5('operator' || j.operator)::uuid END,
                   CASE WHEN j.operator IS NULL THEN NULL ELSE 'Bench Operator ' || j.operator END,
                   CASE WHEN j.operator IS NULL THEN NULL ELSE j.created + interval '1 hour' END,
                   CASE WHEN j.stage = 'Cancelled' THEN 'Cancelled by the customer' END,
                   1
            FROM (
                SELECT g,
                       md5('job' || g)::uuid AS job_id,
                       md5('order' || g)::uuid AS order_id,
                       CASE WHEN g % 10 < 3 THEN 'Partner' ELSE 'Shop' END AS channel,
                       CASE WHEN (g * 7) % 10 < 2 THEN 'Express' ELSE 'Standard' END AS lead_time,
                       CASE WHEN (g * 7) % 10 < 2 THEN 0 ELSE 1 END AS priority,
                       CASE WHEN g % 10 < 3
                            THEN (ARRAY['Acme Parts', 'Brightline Robotics', 'Cobalt Drones', 'Delta Fixtures', 'Everest Tools', 'Fjord Marine',
                                        'Granite Labs', 'Helix Medical', 'Ionic Bikes', 'Juniper Audio'])[1 + g % 10] || ' ' || (g % 997)
                            ELSE (ARRAY['Ada', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Lars',
                                        'Mila', 'Noah', 'Olga', 'Paul', 'Quinn', 'Rosa', 'Sven', 'Tara'])[1 + g % 20]
                                 || ' ' || (ARRAY['Lovelace', 'Turing', 'Hopper', 'Noether', 'Curie', 'Meitner', 'Franklin', 'Goodall', 'Hamilton',
                                        'Johnson', 'Kepler', 'Lamarr', 'Mendel', 'Newton', 'Ostrom', 'Pascal', 'Ramanujan', 'Somerville', 'Tesla',
                                        'Volta', 'Wu', 'Yonath', 'Zuse', 'Babbage', 'Dirac'])[1 + (g / 20) % 25] || ' ' || (g % 89)
                       END AS customer,
                       now() - ({n} - g) * (interval '730 days' / {n}) AS created,
                       CASE WHEN g % 10 < 3 THEN now() - ({n} - g) * (interval '730 days' / {n}) + (3 + g % 18) * interval '1 day' END AS due_date,
                       CASE WHEN g > {waitingFrom} OR g > {takenFrom} THEN 'ManufacturingApproved'
                            WHEN g > {printingFrom} THEN 'Printing'
                            WHEN g > {postFrom} THEN 'PostProcessing'
                            WHEN g > {qcFrom} THEN 'QualityCheck'
                            WHEN g > {packedFrom} THEN 'Packed'
                            WHEN g > {shippedFrom} THEN 'Shipped'
                            WHEN g % 100 = 7 THEN 'Cancelled'
                            ELSE 'Delivered' END AS stage,
                       CASE WHEN g > {waitingFrom} OR (g <= {shippedFrom} AND g % 100 = 7) THEN NULL ELSE 1 + g % {Operators} END AS operator
                FROM generate_series(1, {n}) AS g
            ) AS j
            ORDER BY j.g
            """);

        // One item per job (PLA 50 %, PETG 25 %, ABS 12 %, resin 13 %), a second PLA part on every tenth.
        await RunAsync("items", """
            INSERT INTO mes_job_items ("JobId", "ItemId", "FileName", "Material", "Quantity", "ModelSha256", "SizeBytes")
            SELECT j."Id", md5('item' || j."Id")::uuid, 'part-' || j."Id" || '.stl',
                   CASE WHEN (j."Id" * 13) % 100 < 50 THEN 'PLA' WHEN (j."Id" * 13) % 100 < 75 THEN 'PETG'
                        WHEN (j."Id" * 13) % 100 < 87 THEN 'ABS' ELSE 'Resin' END,
                   1 + j."Id" % 4, md5(j."Id"::text) || md5(j."Id"::text || 'x'), 20000 + j."Id" % 5000000
            FROM mes_jobs j
            UNION ALL
            SELECT j."Id", md5('item2' || j."Id")::uuid, 'part-' || j."Id" || '-b.stl', 'PLA', 1, md5(j."Id"::text || 'b') || md5(j."Id"::text || 'c'), 40000
            FROM mes_jobs j WHERE j."Id" % 10 = 5
            """);

        // History for the jobs still on the floor (what their pages show); finished jobs' history is left out for speed.
        await RunAsync("steps", """
            INSERT INTO mes_job_steps ("JobId", "Kind", "Stage", "Sequence", "ById", "ByName", "At", "Reason")
            SELECT j."Id", 'Stage', 'ManufacturingApproved', 1, '00000000-0000-0000-0000-000000000000', 'PrintFlow', j."CreatedAt", NULL
            FROM mes_jobs j WHERE j."QueueRank" <= 1
            """);

        await RunAsync("stage counters", """
            UPDATE mes_stage_counts c SET "Count" = s.n
            FROM (SELECT "Stage", count(*) AS n FROM mes_jobs GROUP BY "Stage") s
            WHERE c."Stage" = s."Stage"
            """);
        // VACUUM sets the visibility map, so the keyset pages can be index-only scans as on a long-running database.
        await RunAsync("vacuum analyze", "VACUUM ANALYZE");
    }
}
