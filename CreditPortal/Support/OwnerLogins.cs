using CreditPortal.Identity;
using CreditPortal.Ledger;

namespace CreditPortal.Support;

/// <summary>Support creates owner logins for an account (there is no self-registration); each one is
/// recorded in the account's audit trail. Support chose the password, so the owner must replace it at first login
/// (issue #12): support does not keep knowing it.</summary>
public sealed class OwnerLogins(PortalUsers users, CreditLedger ledger, LedgerQueries queries)
{
    /// <summary>Creates the login, or throws <see cref="LedgerValidationException"/> naming the field; nothing
    /// is created when the input is refused.</summary>
    public async Task CreateAsync(long accountId, string email, string password, Actor actor)
    {
        email = email?.Trim() ?? "";
        if (!Validate.IsEmail(email)) throw new LedgerValidationException("email", "Enter a valid email address.");
        if (await queries.GetAccountAsync(accountId) is null) throw new LedgerNotFoundException($"Account {accountId}");
        var check = await users.ValidatePasswordAsync(email, password ?? "");
        if (!check.Succeeded)
        {
            var duplicate = check.Errors.FirstOrDefault(e => e.Code == "DuplicateEmail");
            if (duplicate is not null) throw new LedgerValidationException("email", duplicate.Description);
            throw new LedgerValidationException("password", string.Join(" ", check.Errors.Select(e => e.Description)));
        }
        var created = await users.CreateOwnerAsync(accountId, email, password!, mustChangePassword: true);
        if (!created.Succeeded)
            throw new LedgerValidationException("email", string.Join(" ", created.Errors.Select(e => e.Description)));
        await ledger.RecordAuditAsync(accountId, actor, "login.created", null, email, null);
    }
}
