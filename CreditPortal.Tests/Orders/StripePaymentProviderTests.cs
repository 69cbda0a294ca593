using CreditPortal.Data;
using CreditPortal.Ledger;
using CreditPortal.Ledger.Commands;
using CreditPortal.Orders;
using CreditPortal.Orders.StripePayments;
using CreditPortal.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CreditPortal.Tests.Orders;

/// <summary>The Stripe adapter (Orders/StripePayments) against a local fake of Stripe's HTTP API: the real Stripe.net
/// client builds and sends the requests, the real ledger books the outcomes.</summary>
public sealed class StripePaymentProviderTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private readonly StripeFake _stripe = new();

    private LedgerHarness Harness(TimeSpan? timeout = null) => LedgerHarness.Start(Start, payments: sp => new StripePaymentProvider(
        new PaymentsOptions
        {
            Provider = PaymentsOptions.StripeProvider,
            Stripe = new StripeSettings
            {
                SecretKey = StripeFake.SecretKey, WebhookSecret = StripeFake.WebhookSecret, ApiBase = _stripe.Url,
                Timeout = timeout ?? TimeSpan.FromSeconds(10),
            },
        },
        sp.GetRequiredService<IDbContextFactory<CreditPortalDbContext>>(), sp.GetRequiredService<TimeProvider>(),
        sp.GetRequiredService<ILogger<StripePaymentProvider>>()));

    [Fact]
    public async Task A_charge_sends_the_amount_in_cents_the_currency_the_account_s_customer_and_our_idempotency_key()
    {
        _stripe.PaymentIntentsAnswer("succeeded");
        await using var h = Harness();
        var id = await h.CreateAccountAsync();

        var first = await h.BuyAsync(id, "email-10000", "pm_card_visa", key: "k1");
        var second = await h.BuyAsync(id, "email-5000", "pm_card_visa", key: "k2");

        Assert.Equal((OrderStatus.Paid, OrderStatus.Paid), (first.Status, second.Status));
        var charges = _stripe.Requests("POST", "/v1/payment_intents");
        Assert.Equal(2, charges.Count);
        var form = StripeFake.Form(charges[0]);
        Assert.Equal("1800", form["amount"]);                      // 18.00 EUR
        Assert.Equal("eur", form["currency"]);
        Assert.Equal(StripeFake.Customer, form["customer"]);
        Assert.Equal("pm_card_visa", form["payment_method"]);
        Assert.Equal("true", form["confirm"]);
        Assert.Equal($"order-{first.OrderId}", form["metadata[order_key]"]);
        Assert.Equal($"order-{first.OrderId}", charges[0].RequestMessage.Headers!["Idempotency-Key"].Single());
        Assert.Equal("1000", StripeFake.Form(charges[1])["amount"]);
        Assert.Single(_stripe.Requests("POST", "/v1/customers"));    // one customer per account
        Assert.Equal(15_000, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_decline_changes_nothing()
    {
        _stripe.PaymentIntentsDecline("insufficient_funds");
        await using var h = Harness();
        var id = await h.CreateAccountAsync();

        var order = await h.BuyAsync(id, "email-10000", "pm_card_chargeDeclined");

        Assert.Equal((OrderStatus.Declined, "insufficient_funds"), (order.Status, order.DeclineReason));
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
        Assert.Empty((await h.WalletAsync(id)).Lots);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task Requires_action_is_a_step_to_finish_never_a_payment()
    {
        _stripe.PaymentIntentsAnswer("requires_action", nextActionUrl: "https://hooks.stripe.test/3ds/pi_fake1");
        await using var h = Harness();
        var id = await h.CreateAccountAsync();

        var order = await h.Orders.OrderPackAsync(id, "email-10000", "pm_card_threeDSecure2Required", "k1", LedgerHarness.Owner);

        Assert.Equal(OrderStatus.RequiresAction, order.Status);
        Assert.Equal("https://hooks.stripe.test/3ds/pi_fake1", order.ActionUrl);
        Assert.Null(order.LotId);
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
        Assert.Equal(0, await h.Services.GetRequiredService<PendingOrderRecovery>().RecoverAsync()); // recovery waits for Stripe's word
        Assert.Equal(0, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_timeout_is_an_unknown_outcome_resolved_by_looking_the_payment_up_never_by_charging_again()
    {
        _stripe.PaymentIntentsAnswer("succeeded", delay: TimeSpan.FromSeconds(4));
        await using var h = Harness(timeout: TimeSpan.FromSeconds(1));
        var id = await h.CreateAccountAsync();

        var order = await h.BuyAsync(id, "email-10000", "pm_card_visa", key: "k1");
        Assert.Equal(OrderStatus.Pending, order.Status);             // maybe charged, maybe not: nothing granted yet
        Assert.Equal(0, (await h.WalletAsync(id)).Total);

        // Stripe did charge it: the customer's list holds the PaymentIntent under the order's key.
        _stripe.ListHolds($"order-{order.OrderId}", 1800, "succeeded");
        var retry = await h.BuyAsync(id, "email-10000", "pm_card_visa", key: "k1"); // the client retries with its key
        Assert.Equal(OrderStatus.Paid, retry.Status);
        Assert.Equal(0, await h.Services.GetRequiredService<PendingOrderRecovery>().RecoverAsync());

        // The fake logs a request once it has answered it (after its delay, long after the client gave up).
        for (var waited = 0; waited < 100 && _stripe.Requests("POST", "/v1/payment_intents").Count == 0; waited++) await Task.Delay(100);
        Assert.Single(_stripe.Requests("POST", "/v1/payment_intents"));  // charged once; the retry only looked it up
        Assert.NotEmpty(_stripe.Requests("GET", "/v1/payment_intents"));
        Assert.Equal(10_000, (await h.WalletAsync(id)).Total);
        await h.AssertLedgerConsistentAsync();
    }

    [Fact]
    public async Task A_crash_between_charge_and_booking_is_recovered_by_looking_the_payment_up()
    {
        _stripe.PaymentIntentsAnswer("succeeded");
        await using var h = Harness();
        var id = await h.CreateAccountAsync();
        // The state a crash leaves: the order recorded Pending, the account's customer known, Stripe charged, nothing booked.
        var pack = h.Options.EmailPacks.Single(p => p.Id == "email-10000");
        var (order, _) = await h.Writer.RunAsync(s => RecordOrder.Begin(s, id,
            new OrderDraft(OrderKind.Pack, Channel.Email, pack.Id, pack.Credits, pack.Price, "EUR", "pm_card_visa", "k1", "hash"), LedgerHarness.Owner));
        await using (var db = h.Db())
        {
            db.PaymentCustomers.Add(new PaymentCustomer { AccountId = id, Provider = StripePaymentProvider.Name, CustomerId = StripeFake.Customer, CreatedAt = Start });
            await db.SaveChangesAsync();
        }
        _stripe.ListHolds($"order-{order.Id}", 1800, "succeeded");
        await h.RestartAsync();

        Assert.Equal(1, await h.Services.GetRequiredService<PendingOrderRecovery>().RecoverAsync());

        Assert.Empty(_stripe.Requests("POST", "/v1/payment_intents"));   // looked up, not charged again
        Assert.Equal(10_000, (await h.WalletAsync(id)).Total);
        await using (var db = h.Db())
            Assert.Equal(("pi_found1", OrderStatus.Paid), await db.Orders.Where(o => o.Id == order.Id).Select(o => ValueTuple.Create(o.PaymentReference, o.Status)).SingleAsync());
        await h.AssertLedgerConsistentAsync();
    }

    public void Dispose() => _stripe.Dispose();

    [Fact]
    public async Task A_new_card_is_a_SetupIntent_of_the_account_s_customer_for_off_session_charges_and_becomes_its_default()
    {
        _stripe.SetupIntentsAnswer("succeeded", "pm_saved_1234");
        await using var h = Harness();
        var id = await h.CreateAccountAsync();

        var result = await h.Services.GetRequiredService<CardUpdates>().UpdateAsync(id, "pm_card_new", "k1", LedgerHarness.Owner);

        Assert.True(result.Saved);
        var setup = Assert.Single(_stripe.Requests("POST", "/v1/setup_intents"));
        var form = StripeFake.Form(setup);
        Assert.Equal(StripeFake.Customer, form["customer"]);
        Assert.Equal("pm_card_new", form["payment_method"]);
        Assert.Equal("true", form["confirm"]);
        Assert.Equal("off_session", form["usage"]);
        Assert.Equal($"card-{id}-k1", setup.RequestMessage.Headers!["Idempotency-Key"].Single());
        var customer = Assert.Single(_stripe.Requests("POST", $"/v1/customers/{StripeFake.Customer}"));
        Assert.Equal("pm_saved_1234", StripeFake.Form(customer)["invoice_settings[default_payment_method]"]);
        Assert.Empty(_stripe.Requests("POST", "/v1/payment_intents")); // saving a card charges nothing
        await using var db = h.Db();
        Assert.All(await db.Wallets.Where(w => w.AccountId == id).ToListAsync(), w => Assert.Equal("pm_saved_1234", w.SavedPaymentToken));
        Assert.Contains((await h.Queries.GetAuditAsync(id)).Items, a => a.Action == "payment.card" && a.After == "…1234");
    }

    [Fact]
    public async Task A_card_Stripe_declines_is_refused_at_the_field_and_saves_nothing()
    {
        _stripe.SetupIntentsDecline("expired_card");
        await using var h = Harness();
        var id = await h.CreateAccountAsync();

        var refused = await Assert.ThrowsAsync<LedgerValidationException>(() =>
            h.Services.GetRequiredService<CardUpdates>().UpdateAsync(id, "pm_card_expired", "k1", LedgerHarness.Owner));

        Assert.Equal(("paymentToken", "card_not_saved"), (refused.Field, refused.Code));
        Assert.Contains("expired_card", refused.Message);
        Assert.Empty(_stripe.Requests("POST", $"/v1/customers/{StripeFake.Customer}"));
        await using var db = h.Db();
        Assert.All(await db.Wallets.Where(w => w.AccountId == id).ToListAsync(), w => Assert.Null(w.SavedPaymentToken));
        Assert.DoesNotContain((await h.Queries.GetAuditAsync(id)).Items, a => a.Action == "payment.card");
    }

    [Fact]
    public async Task A_card_the_bank_must_confirm_is_a_step_to_finish_and_not_saved_yet()
    {
        _stripe.SetupIntentsAnswer("requires_action", "pm_3ds", nextActionUrl: "https://hooks.stripe.test/3ds/seti_fake1");
        await using var h = Harness();
        var id = await h.CreateAccountAsync();

        var result = await h.Services.GetRequiredService<CardUpdates>().UpdateAsync(id, "pm_card_threeDSecure2Required", "k1", LedgerHarness.Owner);

        Assert.Equal((false, "https://hooks.stripe.test/3ds/seti_fake1"), (result.Saved, result.ActionUrl));
        Assert.Empty(_stripe.Requests("POST", $"/v1/customers/{StripeFake.Customer}"));
        await using var db = h.Db();
        Assert.All(await db.Wallets.Where(w => w.AccountId == id).ToListAsync(), w => Assert.Null(w.SavedPaymentToken));
    }
}
