using System.Globalization;
using CreditPortal.Data;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace CreditPortal.Orders.StripePayments;

/// <summary>
/// The Stripe adapter of the payment port. A customer per account (kept in "PaymentCustomers"); each charge is a
/// PaymentIntent confirmed at once with the order's card (a PaymentMethod id) under our idempotency key, the amount in
/// cents, and the order's key in its metadata so it can be found again. Outcomes: <c>succeeded</c> is paid,
/// <c>requires_action</c> (3-D Secure) is a step for the owner to finish and never counts as paid, a card error or
/// <c>requires_payment_method</c> is a decline. No answer (timeout, broken connection, Stripe's 5xx) is an unknown
/// outcome: the order stays Pending and <see cref="FindAsync"/> looks the PaymentIntent up by its key in the
/// customer's list (strongly consistent, unlike Stripe's search) — never a second charge.
/// </summary>
public sealed class StripePaymentProvider : IPaymentProvider
{
    public const string Name = "Stripe";
    public const string OrderKeyField = "order_key";
    public const string AccountField = "account_id";

    private readonly StripeClient _client;
    private readonly IDbContextFactory<CreditPortalDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly ILogger<StripePaymentProvider> _logger;

    public StripePaymentProvider(PaymentsOptions options, IDbContextFactory<CreditPortalDbContext> dbFactory, TimeProvider clock,
        ILogger<StripePaymentProvider> logger)
    {
        var settings = options.Stripe;
        // No retries inside the client: a retry after a timeout is exactly the blind second charge this adapter avoids.
        var http = new SystemNetHttpClient(new HttpClient { Timeout = settings.Timeout }, maxNetworkRetries: 0);
        _client = new StripeClient(settings.SecretKey, httpClient: http,
            apiBase: string.IsNullOrWhiteSpace(settings.ApiBase) ? null : settings.ApiBase.TrimEnd('/'));
        _dbFactory = dbFactory;
        _clock = clock;
        _logger = logger;
    }

    public async Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var customer = await CustomerAsync(request.AccountId, cancellationToken);
        var create = new PaymentIntentCreateOptions
        {
            Amount = OrderService.Cents(request.Amount),
            Currency = request.Currency.ToLowerInvariant(),
            Customer = customer,
            PaymentMethod = request.Token,
            // Cards only in effect: no redirect-based methods, so no return URL is needed to confirm at once.
            AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
            Confirm = true,
            Description = request.Description,
            Metadata = new Dictionary<string, string>
            {
                [OrderKeyField] = request.IdempotencyKey,
                [AccountField] = request.AccountId.ToString(CultureInfo.InvariantCulture),
            },
        };
        // A renewal runs while the owner is away: the bank cannot ask them, so Stripe declines what would need it.
        if (request.OffSession) create.OffSession = true;
        else create.SetupFutureUsage = "off_session"; // the card is saved on the customer for the next cycles
        try
        {
            var intent = await Call(() => new PaymentIntentService(_client).CreateAsync(create,
                new RequestOptions { IdempotencyKey = request.IdempotencyKey }, cancellationToken));
            return ToResult(intent);
        }
        catch (StripeException e) when (e.StripeError?.Type == "card_error" || (int)e.HttpStatusCode is >= 400 and < 500)
        {
            // A card error or a request Stripe refuses (an unknown card, a detached payment method): nothing was charged.
            return new PaymentResult(false, e.StripeError?.PaymentIntent?.Id, e.StripeError?.DeclineCode ?? e.StripeError?.Code ?? "declined");
        }
    }

    public async Task<PaymentResult?> FindAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        var customer = await StoredCustomerAsync(request.AccountId, cancellationToken);
        if (customer is null) return null; // no customer yet: no payment of this account ever reached Stripe
        var list = await Call(() => new PaymentIntentService(_client).ListAsync(new PaymentIntentListOptions { Customer = customer, Limit = 100 },
            null, cancellationToken));
        var intent = list.Data.FirstOrDefault(i => i.Metadata is { } m && m.TryGetValue(OrderKeyField, out var key) && key == request.IdempotencyKey);
        if (intent is null) return null;
        var result = ToResult(intent);
        _logger.LogInformation("Stripe payment {PaymentIntent} for {OrderKey} looked up: {Status}", intent.Id, request.IdempotencyKey, intent.Status);
        return result;
    }

    /// <summary>
    /// A new card for charges made while the owner is away: a SetupIntent of the account's customer, confirmed at once with the
    /// card (a PaymentMethod id) for <c>off_session</c> use, under our idempotency key. Once it succeeded the card is attached
    /// to the customer and becomes its default payment method (<c>invoice_settings.default_payment_method</c>); the PaymentMethod
    /// is what renewals charge. 3-D Secure is a step for the owner (nothing saved yet); a card error saves nothing.
    /// </summary>
    public async Task<CardSaveResult> SaveCardAsync(long accountId, string token, string idempotencyKey, CancellationToken cancellationToken)
    {
        var customer = await CustomerAsync(accountId, cancellationToken);
        SetupIntent setup;
        try
        {
            setup = await Call(() => new SetupIntentService(_client).CreateAsync(new SetupIntentCreateOptions
            {
                Customer = customer,
                PaymentMethod = token,
                Confirm = true,
                Usage = "off_session",
                AutomaticPaymentMethods = new SetupIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
                Metadata = new Dictionary<string, string> { [AccountField] = accountId.ToString(CultureInfo.InvariantCulture) },
            }, new RequestOptions { IdempotencyKey = idempotencyKey }, cancellationToken));
        }
        catch (StripeException e) when (e.StripeError?.Type == "card_error" || (int)e.HttpStatusCode is >= 400 and < 500)
        {
            return new CardSaveResult(false, null, e.StripeError?.DeclineCode ?? e.StripeError?.Code ?? "card_not_saved");
        }
        switch (setup.Status)
        {
            case "succeeded":
                var method = setup.PaymentMethodId ?? token;
                await Call(() => new CustomerService(_client).UpdateAsync(customer, new CustomerUpdateOptions
                {
                    InvoiceSettings = new CustomerInvoiceSettingsOptions { DefaultPaymentMethod = method },
                }, new RequestOptions { IdempotencyKey = idempotencyKey + "-default" }, cancellationToken));
                _logger.LogInformation("Stripe card {PaymentMethod} saved for account {AccountId} ({SetupIntent})", method, accountId, setup.Id);
                return new CardSaveResult(true, method, null);
            case "requires_action" or "requires_confirmation":
                return new CardSaveResult(false, null, null) { RequiresAction = true, ActionUrl = setup.NextAction?.RedirectToUrl?.Url };
            default:
                return new CardSaveResult(false, null, setup.LastSetupError?.DeclineCode ?? setup.LastSetupError?.Code ?? setup.Status);
        }
    }

    /// <summary>A PaymentIntent's state as the port's answer; "processing" and the like are not an outcome yet.</summary>
    public static PaymentResult ToResult(PaymentIntent intent) => intent.Status switch
    {
        "succeeded" => new PaymentResult(true, intent.Id, null),
        "requires_action" or "requires_confirmation" => new PaymentResult(false, intent.Id, null)
        {
            RequiresAction = true, ActionUrl = intent.NextAction?.RedirectToUrl?.Url,
        },
        "requires_payment_method" or "canceled" => new PaymentResult(false, intent.Id,
            intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code ?? intent.Status),
        _ => throw new PaymentOutcomeUnknownException($"Stripe payment {intent.Id} is {intent.Status}: its outcome is not known yet."),
    };

    private async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is TaskCanceledException or TimeoutException or HttpRequestException or IOException
                                      || e is StripeException { HttpStatusCode: >= System.Net.HttpStatusCode.InternalServerError or 0 }
                                      || e is StripeException { InnerException: TaskCanceledException or TimeoutException or HttpRequestException or IOException })
        {
            throw new PaymentOutcomeUnknownException("Stripe did not answer: the payment's outcome is unknown and will be looked up.", e);
        }
    }

    private async Task<string?> StoredCustomerAsync(long accountId, CancellationToken cancellationToken)
    {
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PaymentCustomers.Where(c => c.AccountId == accountId && c.Provider == Name).Select(c => c.CustomerId).FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>The account's Stripe customer, created once (keyed, so a retried creation is the same customer).</summary>
    private async Task<string> CustomerAsync(long accountId, CancellationToken cancellationToken)
    {
        if (await StoredCustomerAsync(accountId, cancellationToken) is { } known) return known;
        var account = accountId.ToString(CultureInfo.InvariantCulture);
        var customer = await Call(() => new CustomerService(_client).CreateAsync(new CustomerCreateOptions
        {
            Description = $"CreditPortal account {account}",
            Metadata = new Dictionary<string, string> { [AccountField] = account },
        }, new RequestOptions { IdempotencyKey = $"customer-account-{account}" }, cancellationToken));
        await using var db = await _dbFactory.CreateDbContextAsync(cancellationToken);
        db.PaymentCustomers.Add(new PaymentCustomer { AccountId = accountId, Provider = Name, CustomerId = customer.Id, CreatedAt = _clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another payment of the account stored it first; theirs is the account's customer.
            return await StoredCustomerAsync(accountId, cancellationToken) ?? throw new InvalidOperationException("The payment customer vanished.");
        }
        return customer.Id;
    }
}
