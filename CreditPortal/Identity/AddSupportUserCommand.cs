using CreditPortal.Ledger;

namespace CreditPortal.Identity;

/// <summary>
/// <c>dotnet run --project CreditPortal -- add-support-user EMAIL [--name "Display Name"]</c>: creates a support login
/// (the first one of a Production install included) and exits, without serving anything. It prints a one-time
/// password on a line of its own, <c>password: …</c>; the login must choose its own at first login (issue #12).
/// </summary>
public static class AddSupportUserCommand
{
    public const string Name = "add-support-user";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == Name;

    /// <summary>Runs the command against the migrated database; returns the process exit code.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var email = args.Skip(1).FirstOrDefault(a => !a.StartsWith('-'))?.Trim();
        var nameAt = Array.IndexOf(args, "--name");
        var displayName = nameAt > 0 && nameAt + 1 < args.Length ? args[nameAt + 1].Trim() : null;
        if (string.IsNullOrEmpty(email) || !Validate.IsEmail(email))
        {
            await error.WriteLineAsync($"Usage: {Name} EMAIL [--name \"Display Name\"] (EMAIL must be a valid email address)");
            return 2;
        }
        if (displayName is { Length: > 100 })
        {
            await error.WriteLineAsync("--name must be at most 100 characters.");
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUsers>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            await error.WriteLineAsync($"A login for {email} already exists; nothing was created.");
            return 1;
        }
        var password = await users.NewOneTimePasswordAsync(email);
        var created = await users.CreateSupportAsync(email, password, string.IsNullOrEmpty(displayName) ? null : displayName, mustChangePassword: true);
        if (!created.Succeeded)
        {
            await error.WriteLineAsync($"The support login was not created: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            return 1;
        }
        await output.WriteLineAsync($"Support login {email} created. Give it this one-time password; it must choose its own at first login.");
        await output.WriteLineAsync($"password: {password}");
        await output.FlushAsync();
        return 0;
    }
}
