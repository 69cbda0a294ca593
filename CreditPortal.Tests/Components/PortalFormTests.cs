using Bunit;
using CreditPortal.Components;
using CreditPortal.Ledger;
using CreditPortal.Tests.Infrastructure;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MudBlazor;

namespace CreditPortal.Tests.Components;

/// <summary>The one form pattern every form of the portal uses (busy, refusal at its field, errors logged and shown).</summary>
public sealed class PortalFormTests : PortalBunitContext
{
    private readonly LogCollector _log = new();
    private string? _typed;

    public PortalFormTests() => Services.AddLogging(b => b.AddProvider(_log));

    /// <summary>A form with one text input ("name") and a submit button, as pages write it.</summary>
    private IRenderedComponent<Bunit.Rendering.ContainerFragment> RenderForm(Func<PortalForm, Task> onSubmit, string? saved = null)
        => RenderWithProviders(b =>
        {
            b.OpenComponent<PortalForm>(0);
            b.AddAttribute(1, nameof(PortalForm.Name), "thing");
            b.AddAttribute(2, nameof(PortalForm.OnSubmit), EventCallback.Factory.Create<PortalForm>(this, onSubmit));
            b.AddAttribute(3, nameof(PortalForm.Failure), "The thing could not be saved.");
            b.AddAttribute(4, nameof(PortalForm.Fields), new[] { "name" });
            b.AddAttribute(5, nameof(PortalForm.Saved), saved);
            b.AddAttribute(6, nameof(PortalForm.ChildContent), (RenderFragment<PortalForm>)(form => c =>
            {
                c.OpenComponent<MudTextField<string>>(0);
                c.AddMultipleAttributes(1, form.Field("name"));
                c.AddAttribute(2, "Label", "Name");
                c.AddAttribute(3, "Value", _typed);
                c.AddAttribute(4, "ValueChanged", EventCallback.Factory.Create<string>(this, v => _typed = v));
                c.AddAttribute(5, "name", "thing-name");
                c.CloseComponent();
                c.OpenComponent<PortalSubmit>(6);
                c.AddAttribute(7, nameof(PortalSubmit.Text), "Save");
                c.AddAttribute(8, nameof(PortalSubmit.BusyText), "Saving…");
                c.AddAttribute(9, "data-testid", "thing-save");
                c.CloseComponent();
            }));
            b.CloseComponent();
        });

    [Fact]
    public void A_refusal_about_a_field_on_the_form_is_shown_at_that_field_and_named_by_the_input()
    {
        var form = RenderForm(_ => throw new LedgerValidationException("name", "A list with this name exists."));

        form.Find("form#thing").Submit();

        form.WaitForAssertion(() => Assert.Equal("A list with this name exists.", form.Find("#thing-name-message").Text()));
        var input = form.Find("input[name=thing-name]");
        Assert.Equal("true", input.GetAttribute("aria-invalid"));
        Assert.Contains("thing-name-message", input.GetAttribute("aria-describedby")!.Split(' '));
        Assert.Empty(form.FindAll("[data-testid=form-error]"));
        Assert.Empty(_log.Errors);
    }

    [Fact]
    public void A_refusal_about_a_field_the_form_does_not_show_is_shown_above_it()
    {
        var form = RenderForm(_ => throw new LedgerRuleException("charge_now_unavailable", "Charge now is only for Standard.", "channel"));

        form.Find("form#thing").Submit();

        form.WaitForAssertion(() => Assert.Equal("Charge now is only for Standard.", form.Find("[data-testid=form-error]").Text()));
        Assert.Empty(form.FindAll("#thing-name-message"));
        Assert.Equal("false", form.Find("input[name=thing-name]").GetAttribute("aria-invalid"));
    }

    [Theory]
    [InlineData(LedgerBusyException.Busy, "The portal is busy right now. Nothing was changed; please try again in a moment.")]
    [InlineData(LedgerBusyException.StorageFull, "The portal cannot record anything right now (its storage is full). Nothing was changed; please try again later.")]
    public void A_busy_or_full_ledger_says_so_above_the_form_and_is_not_logged_as_a_failure(string code, string shown)
    {
        var form = RenderForm(_ => throw new LedgerBusyException(code, "internal wording", TimeSpan.FromSeconds(2)));

        form.Find("form#thing").Submit();

        form.WaitForAssertion(() => Assert.Equal(shown, form.Find("[data-testid=form-error]").Text()));
        Assert.Empty(_log.Errors);
    }

    [Fact]
    public void An_unexpected_error_is_logged_and_shown_as_the_form_s_failure_message()
    {
        var form = RenderForm(_ => throw new InvalidOperationException("disk on fire"));

        form.Find("form#thing").Submit();

        form.WaitForAssertion(() => Assert.Equal("The thing could not be saved.", form.Find("[data-testid=form-error]").Text()));
        Assert.DoesNotContain("disk on fire", form.Markup);
        var logged = Assert.Single(_log.Errors);
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.Contains("thing", logged.Message);
        // The form is usable again.
        Assert.False(form.Find("[data-testid=thing-save]").HasAttribute("disabled"));
    }

    [Fact]
    public void A_check_of_the_page_s_own_refuses_at_the_field_without_a_success_message()
    {
        var form = RenderForm(f =>
        {
            f.Refuse("name", "Enter a name.");
            return Task.CompletedTask;
        }, saved: "Saved.");

        form.Find("form#thing").Submit();

        form.WaitForAssertion(() => Assert.Equal("Enter a name.", form.Find("#thing-name-message").Text()));
        Assert.Empty(form.FindAll(".mud-snackbar"));
    }

    [Fact]
    public async Task While_it_works_everything_is_disabled_a_second_submit_is_ignored_and_success_is_announced()
    {
        var release = new TaskCompletionSource();
        var calls = 0;
        var form = RenderForm(async _ =>
        {
            calls++;
            await release.Task;
        }, saved: "The thing was saved.");

        form.Find("form#thing").Submit();

        form.WaitForAssertion(() => Assert.True(form.Find("[data-testid=thing-save]").HasAttribute("disabled")));
        Assert.Contains("Saving…", form.Find("[data-testid=thing-save]").Text());
        Assert.True(form.Find("input[name=thing-name]").HasAttribute("disabled"));
        form.Find("form#thing").Submit();
        Assert.Equal(1, calls);

        release.SetResult();

        form.WaitForAssertion(() => Assert.False(form.Find("[data-testid=thing-save]").HasAttribute("disabled")));
        Assert.Equal("Save", form.Find("[data-testid=thing-save]").Text());
        Assert.False(form.Find("input[name=thing-name]").HasAttribute("disabled"));
        form.WaitForAssertion(() => Assert.Contains("The thing was saved.", form.Find(".mud-snackbar").Text()));
        Assert.Equal(1, calls);
        await Task.CompletedTask;
    }

    [Fact]
    public void Before_the_circuit_is_live_the_controls_are_disabled_and_a_submit_does_nothing()
    {
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        var calls = 0;
        var form = RenderForm(_ =>
        {
            calls++;
            return Task.CompletedTask;
        });

        Assert.True(form.Find("[data-testid=thing-save]").HasAttribute("disabled"));
        Assert.True(form.Find("input[name=thing-name]").HasAttribute("disabled"));
        form.Find("form#thing").Submit();
        Assert.Equal(0, calls);
    }

    private sealed class LogCollector : ILoggerProvider
    {
        private readonly List<(string Message, Exception? Exception)> _errors = [];

        public IReadOnlyList<(string Message, Exception? Exception)> Errors { get { lock (_errors) return [.. _errors]; } }

        public ILogger CreateLogger(string categoryName) => new Collector(this);

        public void Dispose() { }

        private sealed class Collector(LogCollector owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel < LogLevel.Error) return;
                lock (owner._errors) owner._errors.Add((formatter(state, exception), exception));
            }
        }
    }
}
