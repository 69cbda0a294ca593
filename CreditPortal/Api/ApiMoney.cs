namespace CreditPortal.Api;

/// <summary>Money in answers: a decimal number with at least two decimals (10.00, not 10), never rounded.</summary>
public static class ApiMoney
{
    public static decimal Of(decimal amount) => amount + 0.00m;
}
