using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CreditPortal.Support;

/// <summary>
/// "Contact us and we'll help fit you into the best plan": an owner's request for advice on a plan, with the monthly volume
/// they send. Open until support closes it; support's answer is shown to the owner on the Plans page.
/// </summary>
public sealed class PlanHelpRequest
{
    public long Id { get; set; }
    public long AccountId { get; set; }

    /// <summary>Messages the account sends in a month, as the owner estimates it.</summary>
    public long MonthlyVolume { get; set; }

    public string? Message { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public required string RequestedBy { get; set; }

    public string? Answer { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public string? AnsweredBy { get; set; }

    /// <summary>Null while the request is open.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
    public string? ClosedBy { get; set; }
}

internal sealed class PlanHelpRequestConfiguration : IEntityTypeConfiguration<PlanHelpRequest>
{
    public void Configure(EntityTypeBuilder<PlanHelpRequest> b)
    {
        b.ToTable("PlanHelpRequests");
        b.Property(r => r.Message).HasMaxLength(PlanHelp.MaxText);
        b.Property(r => r.Answer).HasMaxLength(PlanHelp.MaxText);
        b.Property(r => r.RequestedBy).HasMaxLength(300);
        b.Property(r => r.AnsweredBy).HasMaxLength(300);
        b.Property(r => r.ClosedBy).HasMaxLength(300);
        b.HasIndex(r => new { r.AccountId, r.Id });
        b.HasIndex(r => r.ClosedAt);
        b.HasOne<CreditPortal.Ledger.Account>().WithMany().HasForeignKey(r => r.AccountId);
    }
}
