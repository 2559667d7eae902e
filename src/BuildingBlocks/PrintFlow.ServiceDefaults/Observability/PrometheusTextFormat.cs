using System.Text;

namespace PrintFlow.ServiceDefaults.Observability;

/// <summary>The Prometheus text exposition format, version 0.0.4.</summary>
public static class PrometheusTextFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder(4096);
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type switch
            {
                MetricType.Counter => "counter",
                MetricType.Histogram => "histogram",
                _ => "gauge",
            }).Append('\n');
            foreach (var series in family.Series)
            {
                if (family.Type != MetricType.Histogram)
                {
                    Sample(text, family.Name, series.Labels, null, series.Value);
                    continue;
                }

                for (var i = 0; i < series.Buckets!.Count; i++)
                {
                    var le = i < family.Bounds.Count ? ValueFormat.Of(family.Bounds[i]) : "+Inf";
                    Sample(text, family.Name + "_bucket", series.Labels, le, series.Buckets[i]);
                }

                Sample(text, family.Name + "_sum", series.Labels, null, series.Sum);
                Sample(text, family.Name + "_count", series.Labels, null, series.Count);
            }
        }

        return text.ToString();
    }

    private static void Sample(StringBuilder text, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, double value)
    {
        text.Append(name);
        if (labels.Count > 0 || le is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (key, labelValue) in labels)
            {
                if (!first)
                {
                    text.Append(',');
                }

                text.Append(key).Append("=\"").Append(EscapeLabel(labelValue)).Append('"');
                first = false;
            }

            if (le is not null)
            {
                text.Append(first ? "" : ",").Append("le=\"").Append(le).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(ValueFormat.Of(value)).Append('\n');
    }

    public static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeLabel(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal);
}
