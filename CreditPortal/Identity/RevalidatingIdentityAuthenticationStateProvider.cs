using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace CreditPortal.Identity;

/// <summary>
/// A circuit lives long and makes no HTTP requests, so it re-checks its session every
/// <see cref="SessionLifetimeOptions.RevalidationInterval"/> (a minute): a logout in another tab, a password change, a lock,
/// a disable, another role or account ends the open tab too (it falls back to the login page).
/// </summary>
internal sealed class RevalidatingIdentityAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<SessionLifetimeOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PortalSessions>().WhyEndedAsync(state.User) is null;
    }
}
