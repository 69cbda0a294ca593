namespace CreditPortal.Reports;

public static class ReportsServiceCollectionExtensions
{
    /// <summary>Reports (R12): the read side, the .xlsx export and the export jobs the Reports page watches.</summary>
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportQueries>();
        services.AddSingleton<ReportExport>();
        services.AddSingleton<ExportJobs>();
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section);
        services.AddSingleton<ExportLimits>();
        services.AddScoped<ReportExportSession>();
        return services;
    }
}
